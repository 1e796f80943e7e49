"""The facilitator's pages: workshop list, set-up, live console, projector and audit trail."""

import io
import secrets

import segno
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ...domain.access import ACCESS_LABELS, CAN_CREATE_WORKSHOPS, AccountRole, Action, allows
from ...domain.errors import DomainError
from ...domain.i18n import _
from ...domain.joincode import display_join_code
from ...domain.roles import ROLE_TEMPLATES
from ...domain.text import split_lines
from ...services import audit, cards, participants, projects, return_codes, voting, workshops
from ...services.access import workshop_for_user
from ...services.cards import cards_of
from ...sessions import remember_participant
from ..helpers import attempt, current_actor, done, status_for
from .forms import (
    ConsensusForm,
    ConstituenciesForm,
    DetailsForm,
    ExpectedSizeForm,
    NewWorkshopForm,
    PaperCardForm,
    PaperPersonForm,
    RoleForm,
    ScreenForm,
    ShareForm,
    VoteTooForm,
)

bp = Blueprint("workshops", __name__)


@bp.get("/")
def index():
    """Signed in: your projects with their sessions. Otherwise: join a workshop or sign in."""
    if not current_user.is_authenticated:
        return render_template("home.html")
    return render_template("workshops/index.html", projects=[
        (project, access, projects.sessions_of(project.id))
        for project, access in projects.projects_for(current_user.id)],
        can_create=AccountRole(current_user.role) in CAN_CREATE_WORKSHOPS)


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a workshop: details, groups and roles."""
    if AccountRole(current_user.role) not in CAN_CREATE_WORKSHOPS:
        abort(403)  # helpers and leads work on workshops shared with them
    form = NewWorkshopForm()
    if form.validate_on_submit():
        ok, workshop_id = attempt(form, _create, form)
        if ok:
            done(_("Your workshop is ready. Share the join code when you want people to join."))
            return redirect(url_for(".show", workshop_id=workshop_id))
    return render_template("workshops/new.html", form=form), status_for(form)


def _create(form: NewWorkshopForm) -> int:
    details = workshops.WorkshopDetails(form.title.data, form.held_on.data, form.venue.data or "")
    return workshops.create_workshop(current_actor(), details, form.constituencies.data,
                                     form.templates.data or [],
                                     split_lines(form.other_roles.data, field="other_roles",
                                                 label=_("Other roles")))


def _role_details(form: RoleForm) -> workshops.RoleDetails:
    return workshops.RoleDetails(form.title.data, form.setting.data, form.purpose.data)


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
    consensus = forms.get("consensus") or ConsensusForm(obj=workshop)
    moderation = forms.get("moderation") or ScreenForm(obj=workshop)
    expected = forms.get("expected") or ExpectedSizeForm(obj=workshop)
    return render_template(
        "workshops/show.html", workshop=workshop, access=access, details=details, groups=groups,
        consensus=consensus, moderation=moderation, expected=expected,
        access_labels=ACCESS_LABELS,
        role_form=forms.get("role") or RoleForm(), share_form=forms.get("share") or ShareForm(),
        templates=[t for t in ROLE_TEMPLATES if t.key not in
                   {role.template_key for role in workshop.roles if not role.retired}],
        members=workshops.members_of(workshop.id), join_url=join_url(workshop),
        join_code=display_join_code(workshop.join_code),
        switch_page=url_for(".show", workshop_id=workshop.id),
        can_run=allows(access, Action.RUN), can_share=allows(access, Action.SHARE)), status


@bp.post("/workshops/<int:workshop_id>/details")
@login_required
def update_details(workshop_id: int):
    form = DetailsForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, workshops.update_details, current_actor(), workshop_id,
                             workshops.WorkshopDetails(form.title.data, form.held_on.data,
                                                       form.venue.data or ""))
        if ok:
            done(_("Workshop details saved."))
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), details=form)


@bp.post("/workshops/<int:workshop_id>/constituencies")
@login_required
def update_constituencies(workshop_id: int):
    form = ConstituenciesForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, workshops.update_constituencies, current_actor(), workshop_id,
                             form.constituencies.data)
        if ok:
            done(_("Groups saved."))
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), groups=form)


@bp.post("/workshops/<int:workshop_id>/consensus")
@login_required
def update_consensus(workshop_id: int):
    form = ConsensusForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, workshops.update_consensus, current_actor(), workshop_id,
                             form.consensus_threshold.data, form.consensus_min_voters.data,
                             form.divisive_gap.data)
        if ok:
            done(_("Consensus settings saved. Results now use them."))
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), consensus=form)


@bp.post("/workshops/<int:workshop_id>/expected-size")
@login_required
def update_expected_size(workshop_id: int):
    """Set how many people the workshop expects (the console compares joins with it)."""
    form = ExpectedSizeForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, workshops.set_expected_size, current_actor(), workshop_id,
                             form.expected_size.data)
        if ok:
            done(_("Saved. The live console compares who joins with this number.")
                 if form.expected_size.data else _("Saved. No number of people is expected."))
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), expected=form)


@bp.post("/workshops/<int:workshop_id>/moderation")
@login_required
def update_moderation(workshop_id: int):
    """What reaches the screen: approval of new ideas, and the bilingual wall."""
    form = ScreenForm()
    if form.validate_on_submit():
        workshops.set_approve_first(current_actor(), workshop_id, form.approve_first.data)
        workshops.set_bilingual_wall(current_actor(), workshop_id, form.bilingual_wall.data)
        done(_("New ideas will wait for your approval.") if form.approve_first.data
             else _("New ideas go straight on the screen."))
        done(_("The projector shows Welsh and English together.") if form.bilingual_wall.data
             else _("The projector shows one language: the one it was opened in."))
        return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), moderation=form)


@bp.post("/workshops/<int:workshop_id>/roles")
@login_required
def add_role(workshop_id: int):
    form = RoleForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, workshops.add_role, current_actor(), workshop_id,
                             _role_details(form))
        if ok:
            done(_("Role '%(title)s' added.", title=form.title.data.strip()))
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), role=form)


@bp.post("/workshops/<int:workshop_id>/roles/template")
@login_required
def add_template_role(workshop_id: int):
    form = RoleForm()
    ok, _saved = attempt(form, workshops.add_template_role, current_actor(), workshop_id,
                         request.form.get("template", ""))
    if ok:
        done(_("Role added from the template."))
        return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, 400, role=form)


@bp.post("/workshops/<int:workshop_id>/roles/<int:role_id>")
@login_required
def update_role(workshop_id: int, role_id: int):
    form = RoleForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, workshops.update_role, current_actor(), workshop_id, role_id,
                             _role_details(form))
        if ok:
            done(_("Role saved."))
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), role=form)


@bp.post("/workshops/<int:workshop_id>/roles/<int:role_id>/remove")
@login_required
def remove_role(workshop_id: int, role_id: int):
    workshops.remove_role(current_actor(), workshop_id, role_id)
    done(_("Role removed. Ideas for it are kept."))
    return redirect(url_for(".show", workshop_id=workshop_id))


@bp.post("/workshops/<int:workshop_id>/share")
@login_required
def share(workshop_id: int):
    """Share the workshop; the answer is the same whether or not the email has an account."""
    form = ShareForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, _share_quietly, workshop_id, form.email.data,
                             form.access.data)
        if ok:
            done(_("If there is an account for %(email)s that can be given this access, it now "
                   "has it.", email=form.email.data.strip().lower()))
            return redirect(url_for(".show", workshop_id=workshop_id))
    return _settings_page(workshop_id, status_for(form), share=form)


def _share_quietly(workshop_id: int, email: str, access: str) -> None:
    # No account, one of another kind, or the owner: answered as a share that worked. Other
    # problems (a malformed email, no right to share) still show on the form.
    try:
        workshops.share(current_actor(), workshop_id, email, access)
    except workshops.NotShared:
        pass


@bp.post("/workshops/<int:workshop_id>/share/<int:user_id>/remove")
@login_required
def unshare(workshop_id: int, user_id: int):
    workshops.unshare(current_actor(), workshop_id, user_id)
    done(_("Access removed."))
    return redirect(url_for(".show", workshop_id=workshop_id))


@bp.get("/workshops/<int:workshop_id>/console")
@login_required
def console(workshop_id: int):
    """The live console the facilitator runs the session from."""
    workshop, _access = _load(workshop_id)
    return render_template("workshops/console.html", workshop=workshop,
                           join_url=join_url(workshop),
                           join_code=display_join_code(workshop.join_code),
                           loopback=_is_loopback(join_url(workshop)))


@bp.get("/workshops/<int:workshop_id>/projector")
@login_required
def projector(workshop_id: int):
    """The full-screen wall view: no controls, large type."""
    workshop, _access = _load(workshop_id, Action.READ)
    return render_template("workshops/projector.html", workshop=workshop,
                           join_url=join_url(workshop),
                           join_code=display_join_code(workshop.join_code))


@bp.get("/workshops/<int:workshop_id>/qr.svg")
@login_required
def qr_code(workshop_id: int):
    """The join link as a QR code, drawn on the server as SVG."""
    workshop, _access = _load(workshop_id, Action.READ)
    return Response(qr_svg(join_url(workshop)), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=3600"})


def qr_svg(url: str) -> bytes:
    """A QR code for `url` as a standalone SVG document (black on white, medium error correction)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, dark="#000", light="#fff",
                                    title=str(_("QR code to join this workshop")),
                                    xmldecl=False,
                                    nl=False)
    return out.getvalue()


@bp.get("/workshops/<int:workshop_id>/audit")
@login_required
def audit_trail(workshop_id: int):
    """Every change to this workshop, newest first, and whether the chain still verifies."""
    workshop, _access = _load(workshop_id, Action.READ)
    return render_template("workshops/audit.html", workshop=workshop,
                           events=audit.events_for(workshop.id),
                           check=audit.verify(workshop.id))


def join_url(workshop) -> str:
    """The address phones open (the configured public address, else this server's)."""
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return f"{base}{url_for('join.start', code=workshop.join_code)}"


def _is_loopback(url: str) -> bool:
    return "//127." in url or "//localhost" in url


def _group_choices(workshop) -> list[SelectChoice]:
    return [SelectChoice(group.id, group.name) for group in workshop.constituencies
            if not group.retired]


@bp.route("/workshops/<int:workshop_id>/vote-too", methods=["GET", "POST"])
@login_required
def vote_too(workshop_id: int):
    """A facilitator who chooses to vote joins as a participant, then votes like everyone."""
    workshop, _access = _load(workshop_id)
    form = VoteTooForm()
    form.constituency.choices = _group_choices(workshop)
    if form.validate_on_submit():
        ok, participant = attempt(form, participants.join_as_staff, current_actor(), workshop_id,
                                  form.constituency.data)
        if ok:
            remember_participant(workshop_id, participant.id)
            return redirect(url_for("join.phone", code=workshop.join_code))
    return render_template("workshops/vote_too.html", workshop=workshop, form=form), \
        status_for(form)


@bp.get("/workshops/<int:workshop_id>/paper")
@login_required
def paper(workshop_id: int):
    """People taking part on paper: a helper enters their ideas and votes."""
    return _paper_page(workshop_id, request.args.get("person", type=int))


def _paper_page(workshop_id: int, person_id: int | None, status: int = 200, **forms):
    workshop, _access = _load(workshop_id, Action.ENTER_FOR_PAPER)
    people = participants.on_paper(workshop.id)
    person = next((p for p in people if p.id == person_id), None)
    person_form = forms.get("person") or PaperPersonForm()
    person_form.constituency.choices = _group_choices(workshop)
    card_form = forms.get("card") or PaperCardForm()
    card_form.role_id.choices = [SelectChoice(0, _("Any role"))] + [
        SelectChoice(role.id, role.title) for role in workshop.roles if not role.retired]
    vote_round = voting.open_round_of(workshop.id)
    return render_template(
        "workshops/paper.html", workshop=workshop, people=people, person=person,
        person_form=person_form, card_form=card_form, cid=secrets.token_hex(12),
        vote_round=vote_round, ballot=_ballot(vote_round, person),
        vote_errors=forms.get("vote_errors", []),
        switch_page=url_for(".paper", workshop_id=workshop.id, person=person_id)), status


def _ballot_value(raw: str):
    """A paper ballot's select value: a number of dots, agree/unsure/disagree, or no answer."""
    if raw in ("", "none"):
        return None
    return int(raw) if raw.isdigit() else raw


def _ballot(vote_round, person) -> list[dict]:
    if vote_round is None or person is None:
        return []
    mine = voting.my_votes(vote_round, person.id)["votes"]
    cards_by_id = {card.id: card for card in cards_of(vote_round.workshop_id, ("visible",))}
    return [{"card": cards_by_id[item.card_id], "value": mine.get(str(item.card_id))}
            for item in vote_round.cards if item.card_id in cards_by_id]


@bp.post("/workshops/<int:workshop_id>/paper")
@login_required
def add_paper_person(workshop_id: int):
    workshop, _access = _load(workshop_id, Action.ENTER_FOR_PAPER)
    form = PaperPersonForm()
    form.constituency.choices = _group_choices(workshop)
    if form.validate_on_submit():
        ok, person = attempt(form, participants.add_on_paper, current_actor(), workshop_id,
                             form.constituency.data, form.name.data)
        if ok:
            done(_("%(name)s added as %(pseudonym)s.", name=person.nickname,
                   pseudonym=person.pseudonym))
            return redirect(url_for(".paper", workshop_id=workshop_id, person=person.id))
    return _paper_page(workshop_id, None, status_for(form), person=form)


@bp.post("/workshops/<int:workshop_id>/paper/<int:person_id>/cards")
@login_required
def add_paper_card(workshop_id: int, person_id: int):
    _load(workshop_id, Action.ENTER_FOR_PAPER)
    form = PaperCardForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, lambda: cards.add_card(
            participants.helper_actor(current_actor(), workshop_id, person_id), workshop_id,
            form.kind.data, form.text.data, form.role_id.data or None,
            client_id=request.form.get("cid")))
        if ok:
            done(_("Their idea has been added, marked as entered by a helper."))
            return redirect(url_for(".paper", workshop_id=workshop_id, person=person_id))
    return _paper_page(workshop_id, person_id, status_for(form), card=form)


@bp.post("/workshops/<int:workshop_id>/paper/<int:person_id>/votes")
@login_required
def paper_votes(workshop_id: int, person_id: int):
    _load(workshop_id, Action.ENTER_FOR_PAPER)
    values = {key.removeprefix("card-"): _ballot_value(raw)
              for key, raw in request.form.items() if key.startswith("card-")}
    try:
        voting.cast_ballot(participants.helper_actor(current_actor(), workshop_id, person_id),
                           workshop_id, request.form.get("round_id"), values)
    except DomainError as error:
        return _paper_page(workshop_id, person_id, 400, vote_errors=[error.message])
    done(_("Their votes are saved, marked as entered by a helper."))
    return redirect(url_for(".paper", workshop_id=workshop_id, person=person_id))


@bp.get("/workshops/<int:workshop_id>/return-codes", endpoint="return_codes")
@login_required
def return_code_cards(workshop_id: int):
    """Return codes as printable cards, and a form to make one for anyone in this session."""
    return _return_codes_page(workshop_id)


def _return_codes_page(workshop_id: int, problem=None, status: int = 200):
    workshop, _access = _load(workshop_id)
    people = [person for person in participants.participants_of(workshop.id)
              if person.removed_at is None]
    return render_template("workshops/return_codes.html", workshop=workshop, people=people,
                           codes=return_codes.codes_for(workshop.id), problem=problem), status


@bp.post("/workshops/<int:workshop_id>/return-codes/issue")
@login_required
def issue_return_code(workshop_id: int):
    """Make (or find) one participant's return code, to print on a card for them."""
    _load(workshop_id)
    try:
        issued = return_codes.issue(current_actor(), workshop_id,
                                    request.form.get("participant_id", type=int))
    except DomainError as error:
        return _return_codes_page(workshop_id, error.message, 400)
    done(_("A return code for %(pseudonym)s is ready to print.", pseudonym=issued["pseudonym"]))
    return redirect(url_for(".return_codes", workshop_id=workshop_id,
                            _anchor=f"code-{issued['participant_id']}"))
