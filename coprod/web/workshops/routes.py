"""The facilitator's pages: workshop list, set-up, live console, projector and audit trail."""

import io

import segno
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...domain.access import CAN_CREATE_WORKSHOPS, AccountRole, Action, allows
from ...domain.joincode import display_join_code
from ...domain.roles import ROLE_TEMPLATES, clean_role
from ...services import audit, workshops
from ...services.access import workshop_for_user
from ..helpers import attempt, current_actor, done, status_for
from .forms import ConstituenciesForm, DetailsForm, NewWorkshopForm, RoleForm, ShareForm

bp = Blueprint("workshops", __name__)


@bp.get("/")
def index():
    """Signed in: your workshops. Otherwise: join a workshop or sign in."""
    if not current_user.is_authenticated:
        return render_template("home.html")
    return render_template("workshops/index.html", workshops=workshops.workshops_for(current_user.id),
                           can_create=AccountRole(current_user.role) in CAN_CREATE_WORKSHOPS)


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a workshop: details, groups and roles."""
    form = NewWorkshopForm()
    if form.validate_on_submit():
        ok, workshop_id = attempt(form, _create, form)
        if ok:
            done("Your workshop is ready. Share the join code when you want people to join.")
            return redirect(url_for(".show", workshop_id=workshop_id))
    return render_template("workshops/new.html", form=form), status_for(form)


def _create(form: NewWorkshopForm) -> int:
    custom = [clean_role(title, "", "") for title in (form.other_roles.data or "").splitlines()
              if title.strip()]
    details = workshops.WorkshopDetails(form.title.data, form.held_on.data, form.venue.data or "")
    return workshops.create_workshop(current_actor(), details, form.constituencies.data,
                                     form.templates.data or [], custom)


def _load(workshop_id: int, action: Action = Action.RUN):
    return workshop_for_user(current_user.id, workshop_id, action)


@bp.get("/workshops/<int:workshop_id>")
@login_required
def show(workshop_id: int):
    """The set-up page: details, groups, roles and who it is shared with."""
    return _settings_page(workshop_id)


def _settings_page(workshop_id: int, status: int = 200, **forms):
    workshop, access = _load(workshop_id, Action.READ)
    details = forms.get("details") or DetailsForm(obj=workshop)
    groups = forms.get("groups") or ConstituenciesForm(constituencies="\n".join(
        group.name for group in workshop.constituencies if not group.retired))
    return render_template(
        "workshops/show.html", workshop=workshop, access=access, details=details, groups=groups,
        role_form=forms.get("role") or RoleForm(), share_form=forms.get("share") or ShareForm(),
        templates=[t for t in ROLE_TEMPLATES if t.key not in
                   {role.template_key for role in workshop.roles if not role.retired}],
        members=workshops.members_of(workshop.id), join_url=join_url(workshop),
        join_code=display_join_code(workshop.join_code),
        can_run=allows(access, Action.RUN), can_share=allows(access, Action.SHARE)), status


@bp.post("/workshops/<int:workshop_id>/details")
@login_required
def update_details(workshop_id: int):
    form = DetailsForm()
    if form.validate_on_submit():
        ok, _ = attempt(form, workshops.update_details, current_actor(), workshop_id,
                        workshops.WorkshopDetails(form.title.data, form.held_on.data,
                                                  form.venue.data or ""))
        if ok:
            done("Workshop details saved.")
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), details=form)


@bp.post("/workshops/<int:workshop_id>/constituencies")
@login_required
def update_constituencies(workshop_id: int):
    form = ConstituenciesForm()
    if form.validate_on_submit():
        ok, _ = attempt(form, workshops.update_constituencies, current_actor(), workshop_id,
                        form.constituencies.data)
        if ok:
            done("Groups saved.")
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), groups=form)


@bp.post("/workshops/<int:workshop_id>/roles")
@login_required
def add_role(workshop_id: int):
    form = RoleForm()
    if form.validate_on_submit():
        ok, _ = attempt(form, lambda: workshops.add_role(current_actor(), workshop_id, clean_role(
            form.title.data, form.setting.data, form.purpose.data)))
        if ok:
            done(f"Role '{form.title.data.strip()}' added.")
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), role=form)


@bp.post("/workshops/<int:workshop_id>/roles/template")
@login_required
def add_template_role(workshop_id: int):
    from ...domain.roles import role_from_template

    form = RoleForm()
    ok, _ = attempt(form, lambda: workshops.add_role(
        current_actor(), workshop_id, role_from_template(request.form.get("template", ""))))
    if ok:
        done("Role added from the template.")
        return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, 400, role=form)


@bp.post("/workshops/<int:workshop_id>/roles/<int:role_id>")
@login_required
def update_role(workshop_id: int, role_id: int):
    form = RoleForm()
    if form.validate_on_submit():
        ok, _ = attempt(form, lambda: workshops.update_role(
            current_actor(), workshop_id, role_id,
            clean_role(form.title.data, form.setting.data, form.purpose.data)))
        if ok:
            done("Role saved.")
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), role=form)


@bp.post("/workshops/<int:workshop_id>/roles/<int:role_id>/remove")
@login_required
def remove_role(workshop_id: int, role_id: int):
    workshops.remove_role(current_actor(), workshop_id, role_id)
    done("Role removed. Ideas for it are kept.")
    return redirect(url_for(".show", workshop_id=workshop_id))


@bp.post("/workshops/<int:workshop_id>/share")
@login_required
def share(workshop_id: int):
    form = ShareForm()
    if form.validate_on_submit():
        ok, _ = attempt(form, workshops.share, current_actor(), workshop_id, form.email.data,
                        form.access.data)
        if ok:
            done(f"Shared with {form.email.data.strip().lower()}.")
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), share=form)


@bp.post("/workshops/<int:workshop_id>/share/<int:user_id>/remove")
@login_required
def unshare(workshop_id: int, user_id: int):
    workshops.unshare(current_actor(), workshop_id, user_id)
    done("Access removed.")
    return redirect(url_for(".show", workshop_id=workshop_id))


@bp.get("/workshops/<int:workshop_id>/console")
@login_required
def console(workshop_id: int):
    """The live console the facilitator runs the session from."""
    workshop, _ = _load(workshop_id)
    return render_template("workshops/console.html", workshop=workshop,
                           join_url=join_url(workshop),
                           join_code=display_join_code(workshop.join_code),
                           loopback=_is_loopback(join_url(workshop)))


@bp.get("/workshops/<int:workshop_id>/projector")
@login_required
def projector(workshop_id: int):
    """The full-screen wall view: no controls, large type."""
    workshop, _ = _load(workshop_id, Action.READ)
    return render_template("workshops/projector.html", workshop=workshop,
                           join_url=join_url(workshop),
                           join_code=display_join_code(workshop.join_code))


@bp.get("/workshops/<int:workshop_id>/qr.svg")
@login_required
def qr_code(workshop_id: int):
    """The join link as a QR code, drawn on the server as SVG."""
    workshop, _ = _load(workshop_id, Action.READ)
    return Response(qr_svg(join_url(workshop)), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=3600"})


def qr_svg(url: str) -> bytes:
    """A QR code for `url` as a standalone SVG document (black on white, medium error correction)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, dark="#000", light="#fff",
                                    title="QR code to join this workshop", xmldecl=False,
                                    nl=False)
    return out.getvalue()


@bp.get("/workshops/<int:workshop_id>/audit")
@login_required
def audit_trail(workshop_id: int):
    """Every change to this workshop, newest first, and whether the chain still verifies."""
    workshop, _ = _load(workshop_id, Action.READ)
    return render_template("workshops/audit.html", workshop=workshop,
                           events=audit.events_for(workshop.id),
                           check=audit.verify(workshop.id))


def join_url(workshop) -> str:
    """The address phones open (the configured public address, else this server's)."""
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return f"{base}{url_for('join.start', code=workshop.join_code)}"


def _is_loopback(url: str) -> bool:
    return "//127." in url or "//localhost" in url
