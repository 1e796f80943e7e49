"""Project pages: the evidence pack, its seed ideas, and what the "Before you start" page says
about the newest session. Anyone the project is shared with sees it; facilitators change it."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ...domain.access import Action, allows
from ...domain.evidence import EvidenceDetails, size_words
from ...domain.i18n import _
from ...domain.joincode import display_join_code
from ...domain.labels import KIND_LABELS
from ...domain.text import LIMITS, limit_hint
from ...extensions import db
from ...models import Workshop
from ...services import evidence
from ...services.projects import newest_session_id, project_for_user
from ..helpers import attempt, current_actor, done, status_for, within_limit
from . import bp

DATE_HINT = _("Please give the date, like 14/03/2027.")


def _limit(name: str, required=None) -> list:
    return [DataRequired(required) if required else Optional(), within_limit(name)]


class EvidenceItemForm(FlaskForm):
    title = StringField(_("Title"), validators=_limit("evidence_title",
                                                      _("Please give the item a title.")),
                        description=limit_hint("evidence_title"))
    summary = TextAreaField(_("Summary in plain words (optional)"),
                            validators=_limit("evidence_summary"),
                            description=_("Two or three short sentences anyone can read. Up to "
                                          "%(count)s characters.",
                                          count=LIMITS["evidence_summary"]))
    source = StringField(_("Source (optional)"), validators=_limit("evidence_source"),
                         description=_("Who published it, for example: Bevan Commission."))
    published_on = DateField(_("Date (optional)"), validators=[Optional()],
                             invalid_value_message=DATE_HINT)
    url = StringField(_("Link (optional)"), validators=_limit("evidence_url"),
                      description=_("A web address that starts with https://"))
    file = FileField(_("PDF file (optional)"))


class SeedIdeaForm(FlaskForm):
    kind = RadioField(_("Kind of idea"), default="responsibility", choices=[
        SelectChoice("responsibility", _("Responsibility: something the role does")),
        SelectChoice("competence", _("Competence: something the role needs"))])
    role_id = SelectField(_("For which role"), coerce=int, default=0, validate_choice=False)
    text = TextAreaField(_("The seed idea"),
                         validators=_limit("card_text", _("Please write the idea.")),
                         description=limit_hint("card_text"))


class BeforeForm(FlaskForm):
    what_happens = TextAreaField(_("What will happen (optional)"),
                                 validators=_limit("what_happens"),
                                 description=_("In plain, short words. Up to %(count)s "
                                               "characters.", count=LIMITS["what_happens"]))
    duration = StringField(_("How long it takes (optional)"), validators=_limit("duration"),
                           description=_("For example: about 2 hours, with a break."))
    expenses = TextAreaField(_("Expenses or payment offered (optional)"),
                             validators=_limit("expenses"),
                             description=_("For example: travel paid, lunch provided, and a "
                                           "£25 voucher."))


class RemoveForm(FlaskForm):
    """Only the form's safety check: removing needs nothing else."""


def _seed_form(item_id: int, formdata=None) -> SeedIdeaForm:
    # One form per item on the page: the prefix keeps every field's id apart.
    return SeedIdeaForm(formdata=formdata, prefix=f"seed-{item_id}")


@bp.get("/<int:project_id>/evidence", endpoint="evidence")
@login_required
def evidence_pack(project_id: int):
    """The evidence pack, its seed ideas, and the "Before you start" details."""
    return _page(project_id)


def _page(project_id: int, status: int = 200, **forms):
    project, access = project_for_user(current_user.id, project_id, Action.READ)
    session = db.session.get(Workshop, newest_session_id(project.id))
    items = evidence.items_of(project.id)
    roles = [SelectChoice(0, _("Any role"))] + [SelectChoice(role.id, role.title)
                                                 for role in session.roles if not role.retired]
    seed_forms = {}
    for item in items:
        form = forms.get(f"seed-{item.id}") or _seed_form(item.id, formdata=None)
        form.role_id.choices = roles
        seed_forms[item.id] = form
    item_form = forms.get("item") or EvidenceItemForm()
    item_form.file.description = _("A PDF of up to %(size)s. People can download it from the "
                                   "\"Before you start\" page.", size=size_words(evidence.max_bytes()))
    return render_template(
        "projects/evidence.html", project=project, session=session, items=items,
        sizes={item.id: size_words(item.file_size) for item in items if item.file_size},
        seeds=evidence.seed_ideas(project.id), kinds=KIND_LABELS, item_form=item_form,
        seed_forms=seed_forms, before_form=forms.get("before") or BeforeForm(obj=session),
        remove_form=RemoveForm(), can_run=allows(access, Action.RUN),
        before_url=url_for("join.before", code=session.join_code, _external=True),
        join_code=display_join_code(session.join_code),
        switch_page=url_for(".evidence", project_id=project.id)), status


@bp.post("/<int:project_id>/evidence")
@login_required
def add_evidence(project_id: int):
    """Add an item to the pack, with a link, a PDF, both or neither."""
    project_for_user(current_user.id, project_id, Action.RUN)
    form = EvidenceItemForm()
    if form.validate_on_submit():
        ok, _item_id = attempt(form, evidence.add_item, current_actor(), project_id,
                               EvidenceDetails(form.title.data, form.summary.data or "",
                                               form.source.data or "", form.published_on.data,
                                               form.url.data or ""),
                               _upload(form.file.data))
        if ok:
            done(_("Added to the evidence pack."))
            return redirect(url_for(".evidence", project_id=project_id))
    return _page(project_id, status_for(form), item=form)


def _upload(storage) -> evidence.Upload | None:
    """The uploaded file, read whole: MAX_CONTENT_LENGTH (just above the limit) bounds it, and
    the refusal of a file a little too large says its real size."""
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return evidence.Upload(storage.filename, storage.read())


@bp.post("/<int:project_id>/evidence/<int:item_id>/remove")
@login_required
def remove_evidence(project_id: int, item_id: int):
    """Take an item out of the pack (and its PDF off the server)."""
    form = RemoveForm()
    if form.validate_on_submit():
        ok, _removed = attempt(form, evidence.remove_item, current_actor(), project_id, item_id)
        if ok:
            done(_("Taken out of the evidence pack."))
            return redirect(url_for(".evidence", project_id=project_id))
        return _page(project_id, 409 if form.form_errors else 400, item=_with_problem(form))
    return _page(project_id, 400)


def _with_problem(form: FlaskForm) -> EvidenceItemForm:
    # The remove button has no fields of its own: its problem shows at the top of the page.
    shown = EvidenceItemForm(formdata=None)
    shown.form_errors.extend(form.form_errors)
    return shown


@bp.post("/<int:project_id>/evidence/<int:item_id>/seed-ideas")
@login_required
def add_seed_idea(project_id: int, item_id: int):
    """Add a seed idea from this item to the newest session."""
    project_for_user(current_user.id, project_id, Action.RUN)
    form = _seed_form(item_id, formdata=request.form)
    form.role_id.choices = []  # checked by the service (a role of the newest session)
    if form.validate_on_submit():
        ok, _card = attempt(form, evidence.add_seed_idea, current_actor(), project_id, item_id,
                            form.kind.data, form.text.data, form.role_id.data or None)
        if ok:
            done(_("Seed idea added. It is in the session with the other ideas."))
            return redirect(url_for(".evidence", project_id=project_id,
                                    _anchor=f"item-{item_id}"))
    return _page(project_id, status_for(form), **{f"seed-{item_id}": form})


@bp.post("/<int:project_id>/before")
@login_required
def save_before(project_id: int):
    """Save what the "Before you start" page tells people about the newest session."""
    form = BeforeForm()
    if form.validate_on_submit():
        ok, _changes = attempt(form, evidence.save_before, current_actor(), project_id,
                               evidence.BeforeDetails(form.what_happens.data or "",
                                                      form.duration.data or "",
                                                      form.expenses.data or ""))
        if ok:
            done(_("Saved. The \"Before you start\" page shows it now."))
            return redirect(url_for(".evidence", project_id=project_id, _anchor="before"))
    return _page(project_id, status_for(form), before=form)
