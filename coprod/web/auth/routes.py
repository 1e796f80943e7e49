"""Signing in and out, the one-time setup link, passwords, and the admin's account list."""

from functools import wraps

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ...domain.access import AccountRole
from ...realtime.sessions import end_user_sockets
from ...services import accounts
from ..helpers import attempt, current_actor, done, status_for
from .forms import AccountForm, ChangePasswordForm, NewAccountForm, SignInForm

bp = Blueprint("auth", __name__)


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Create the first account from the link printed on first start."""
    if not accounts.setup_token_valid(token):
        return render_template("error.html", title="This link has been used",
                               message="This setup link has already been used or has expired. "
                                       "Please sign in instead."), 404
    form = AccountForm()
    if form.validate_on_submit():
        ok, user = attempt(form, accounts.create_first_facilitator, token, accounts.NewAccount(
            form.email.data, form.display_name.data, AccountRole.ADMIN, form.password.data))
        if ok:
            login_user(user)
            done("Your account is ready. You can now create your first workshop.")
            return redirect(url_for("workshops.index"))
    return render_template("auth/setup.html", form=form), status_for(form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; repeated failures make the next try wait."""
    form = SignInForm()
    if form.validate_on_submit():
        ok, user = attempt(form, accounts.authenticate, form.email.data, form.password.data,
                           request.remote_addr)
        if ok:
            login_user(user)
            return redirect(_safe_next() or url_for("workshops.index"))
    return render_template("auth/login.html", form=form), status_for(form)


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None


@bp.post("/logout")
@login_required
def logout():
    """Sign out here and everywhere else; close this account's live connections."""
    user_id = current_user.id
    accounts.end_sessions(user_id)
    logout_user()
    end_user_sockets(user_id)
    done("You are signed out.")
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
            done("Your password has been changed.")
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
        ok, _ = attempt(form, accounts.create_account, current_actor(), accounts.NewAccount(
            form.email.data, form.display_name.data, form.role.data, form.password.data))
        if ok:
            done(f"Account created for {form.email.data.strip().lower()}.")
            return redirect(url_for("auth.manage_accounts"))
    return render_template("auth/accounts.html", form=form, users=accounts.list_accounts()), \
        status_for(form)

