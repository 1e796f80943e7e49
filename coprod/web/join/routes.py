"""Joining from a phone: no account, a consent notice, a group, then the live page."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from wtforms import SelectChoice

from ...domain.consent import consent_points
from ...domain.errors import DomainError, Forbidden, NotFound
from ...domain.i18n import _
from ...domain.joincode import display_join_code
from ...language import in_each_language
from ...services import participants, return_codes, throttle
from ...sessions import participant_in_session, remember_participant
from ..helpers import attempt, status_for
from .forms import CodeForm, JoinForm

bp = Blueprint("join", __name__)


@bp.context_processor
def _language_offer() -> dict:
    # The Active Offer: the first thing on the join pages asks this in Welsh and in English.
    return {"choose_language": in_each_language(_("Choose your language"))}


@bp.route("/join", methods=["GET", "POST"])
def enter_code():
    """Type the code shown on the screen."""
    form = CodeForm()
    if form.validate_on_submit():
        paused = paused_page(form.code.data)
        if paused:
            return paused
        try:
            # Not yet the lock: /j/<code> lets people who joined before back in, then checks it.
            door = participants.open_door(participants.door(form.code.data))
            return redirect(url_for(".start", code=door.join_code))
        except DomainError as error:
            count_if_wrong(error)
            form.code.errors = [error.message]
            return render_template("join/code.html", form=form), \
                403 if isinstance(error, Forbidden) else 400
    return render_template("join/code.html", form=form), status_for(form)


@bp.route("/j/<code>", methods=["GET", "POST"])
def start(code: str):
    """The consent notice and group choice; someone who already joined goes straight in."""
    door = participants.door(code)  # the one lookup of the code in this request
    if door is not None and _returning(door.id):  # even once it has closed: it is their page
        return redirect(url_for(".phone", code=door.join_code))
    paused = paused_page(code)
    if paused:
        return paused
    try:
        participants.door_for_newcomer(door)
    except DomainError as error:
        count_if_wrong(error)
        return code_page(code, error.message, 403 if isinstance(error, Forbidden) else 404)
    if door.join_code != code:  # typed in lower case or with a space: show the tidy link
        return redirect(url_for(".start", code=door.join_code))
    form = JoinForm()
    form.constituency.choices = [SelectChoice(group_id, name) for group_id, name
                                 in participants.offered_groups(door.id, door.broadcast_seq)]
    if form.validate_on_submit():
        ok, participant_id = attempt(form, participants.join_at, door, form.constituency.data,
                                     form.nickname.data, form.consent.data,
                                     return_code=form.return_code.data, as_new=form.as_new.data)
        if ok:
            remember_participant(door.id, participant_id)
            return redirect(url_for(".phone", code=code))
        if form.return_code.errors:  # a return code that leads nowhere counts like a join code
            throttle.count_failure(throttle.join_code_buckets(request.remote_addr))
    return render_template("join/consent.html", form=form, workshop=door,
                           points=consent_points(door.title, door.retention_months)), \
        status_for(form)


@bp.get("/p/<code>")
def phone(code: str):
    """The participant's live page."""
    workshop = participants.door(code)
    participant = _returning(workshop.id) if workshop is not None else None
    if participant is not None:
        return render_template("join/phone.html", workshop=workshop, participant=participant,
                               join_code=display_join_code(workshop.join_code),
                               return_code=return_codes.active_code_of(participant.id),
                               from_last_time=return_codes.ideas_from_last_time(participant))
    # Past here the answer tells a code that exists from one that does not: throttled too.
    paused = paused_page(code)
    if paused:
        return paused
    if workshop is None:
        throttle.count_failure(throttle.join_code_buckets(request.remote_addr))
        return code_page(code, participants.UNKNOWN_CODE)
    return redirect(url_for(".start", code=workshop.join_code))


@bp.post("/p/<code>/return-code")
def return_code(code: str):
    """A participant asks for their return code; the page then shows it (the same one again)."""
    workshop = participants.door(code)
    participant = _returning(workshop.id) if workshop is not None else None
    if participant is None:
        abort(403)  # only someone who joined this session (and is still in it) has a code
    return_codes.ask(participants.actor_for(participant), workshop.id)
    return redirect(url_for(".phone", code=workshop.join_code, _anchor="return-code"))


def code_page(code: str, problem: str, status: int = 404):
    """The join-code page again, saying kindly why that code did not lead anywhere."""
    return render_template("join/code.html", form=CodeForm(code=code), problem=problem), status


def paused_page(code: str | None):
    """The join-code page with a 429 while this address (or everyone) tried too many wrong codes.

    Checked before the code is looked at, right or wrong, so a guesser learns nothing more.
    """
    try:
        throttle.refuse_while_full(throttle.join_code_buckets(request.remote_addr),
                                   throttle.PAUSED_JOINS)
    except throttle.TooManyTries as paused:
        page = render_template("join/code.html", form=CodeForm(code=code), problem=paused.message)
        return page, 429, {"Retry-After": str(paused.retry_after)}
    return None


def count_if_wrong(error: DomainError) -> None:
    """Count a code that led nowhere against this address's and everyone's wrong-code limits."""
    # Only a code that leads nowhere counts: a closed or locked room's code is a real one.
    if isinstance(error, NotFound):
        throttle.count_failure(throttle.join_code_buckets(request.remote_addr))


def _returning(workshop_id: int):
    return participants.returning_participant(workshop_id, participant_in_session(workshop_id))


from . import before  # noqa: E402,F401  (the "Before you start" page adds its routes to bp)
