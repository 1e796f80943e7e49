"""Signing in and out, the one-time setup link, passwords, and the admin's account list."""

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ...domain.access import ACCOUNT_ROLE_LABELS, AccountRole
from ...domain.i18n import _
from ...services import accounts
from ...services.throttle import TooManyTries
from ...sessions import forget_participants
from ..helpers import attempt, current_actor, done, status_for
from .forms import AccountForm, ChangePasswordForm, NewAccountForm, SignInForm

bp = Blueprint("auth", __name__)
# The signed, long-lived cookie that makes a browser a known device for its last account.
DEVICE_COOKIE = "coprod_device"


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Create the first account from the link printed on first start."""
    if not accounts.setup_token_valid(token):
        return render_template("error.html", title=_("This link has been used"),
                               message=_("This setup link has already been used or has "
                                         "expired. Please sign in instead.")), 404
    form = AccountForm()
    if form.validate_on_submit():
        ok, user = attempt(form, accounts.create_first_facilitator, token, accounts.NewAccount(
            form.email.data, form.display_name.data, AccountRole.ADMIN, form.password.data))
        if ok:
            login_user(user)
            done(_("Your account is ready. You can now create your first workshop."))
            return redirect(url_for("workshops.index"))
    return render_template("auth/setup.html", form=form), status_for(form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; repeated failures make the next try wait (a known device keeps its own count)."""
    form = SignInForm()
    if form.validate_on_submit():
        try:
            ok, user = attempt(form, accounts.authenticate, form.email.data, form.password.data,
                               request.remote_addr, request.cookies.get(DEVICE_COOKIE))
        except TooManyTries as paused:
            form.form_errors.append(paused.message)
            return render_template("auth/login.html", form=form), 429, \
                {"Retry-After": str(paused.retry_after)}
        if ok:
            login_user(user)
            response = redirect(_safe_next() or url_for("workshops.index"))
            _remember_device(response, user)
            return response
    return render_template("auth/login.html", form=form), status_for(form)


def _remember_device(response, user) -> None:
    # OWASP's device cookie: this browser's failures later count in a bucket of its own.
    response.set_cookie(DEVICE_COOKIE, accounts.new_device_token(user),
                        max_age=accounts.DEVICE_COOKIE_MAX_AGE, path=url_for("auth.login"),
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                        samesite="Lax")


def _safe_next() -> str | None:
    """The page asked for before signing in, only if it is a path on this site."""
    # Browsers drop tabs and newlines inside a URL and read a backslash as "/", so both
    # "/<tab>/evil.example" and "/<backslash>evil.example" lead off-site: tidy as a browser
    # would, then check.
    target = "".join(character for character in request.args.get("next", "")
                     if character.isprintable()).strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.post("/logout")
@login_required
def logout():
    """Sign out here and everywhere else; the account's live screens close (the service's
    events do that), and this browser forgets the "Vote too" participant."""
    forget_participants(accounts.end_sessions(current_user.id))
    logout_user()
    done(_("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change your own password (your other sessions are signed out)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        ok, user = attempt(form, accounts.change_password, current_user.id,
                           form.current_password.data, form.password.data)
        if ok:
            login_user(user)
            done(_("Your password has been changed."))
            return redirect(url_for("workshops.index"))
    return render_template("auth/password.html", form=form), status_for(form)


def admin_required(view):
    """Only administrators may see this page."""
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role != AccountRole.ADMIN:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


@bp.route("/admin/accounts", methods=["GET", "POST"])
@admin_required
def manage_accounts():
    """List accounts and create new ones."""
    form = NewAccountForm()
    if form.validate_on_submit():
        ok, _created = attempt(form, accounts.create_account, current_actor(),
                               accounts.NewAccount(form.email.data, form.display_name.data,
                                                   form.role.data, form.password.data))
        if ok:
            done(_("Account created for %(email)s.", email=form.email.data.strip().lower()))
            return redirect(url_for("auth.manage_accounts"))
    return render_template("auth/accounts.html", form=form, users=accounts.list_accounts(),
                           role_labels=ACCOUNT_ROLE_LABELS), status_for(form)


@bp.post("/admin/accounts/<int:user_id>/enabled")
@admin_required
def set_account_enabled(user_id: int):
    """Switch an account off or back on (the form sends enabled=1 or 0)."""
    enabled = request.form.get("enabled") == "1"
    user = accounts.set_enabled(current_actor(), user_id, enabled)
    done(_("%(name)s can sign in again.", name=user.display_name) if enabled else
         _("%(name)s is switched off and can no longer sign in.", name=user.display_name))
    return redirect(url_for("auth.manage_accounts"))
