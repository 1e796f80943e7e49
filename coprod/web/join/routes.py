"""Joining from a phone: no account, a consent notice, a group, then the live page."""

from flask import Blueprint, redirect, render_template, url_for
from wtforms import SelectChoice

from ...domain.consent import consent_points
from ...domain.errors import DomainError
from ...domain.joincode import display_join_code
from ...services import participants
from ...sessions import participant_in_session, remember_participant
from ..helpers import attempt, status_for
from .forms import CodeForm, JoinForm

bp = Blueprint("join", __name__)


@bp.route("/join", methods=["GET", "POST"])
def enter_code():
    """Type the code shown on the screen."""
    form = CodeForm()
    if form.validate_on_submit():
        ok, workshop = attempt(form, participants.workshop_by_code, form.code.data)
        if ok:
            return redirect(url_for(".start", code=workshop.join_code))
    return render_template("join/code.html", form=form), status_for(form)


@bp.route("/j/<code>", methods=["GET", "POST"])
def start(code: str):
    """The consent notice and group choice; someone who already joined goes straight in."""
    known = participants.find_by_code(code)
    if known is not None and _returning(known.id):  # even once it has closed: it is their page
        return redirect(url_for(".phone", code=known.join_code))
    try:
        workshop = participants.workshop_by_code(code)
    except DomainError as error:
        return _code_page(code, error.message)
    if workshop.join_code != code:  # typed in lower case or with a space: show the tidy link
        return redirect(url_for(".start", code=workshop.join_code))
    form = JoinForm()
    form.constituency.choices = [SelectChoice(group.id, group.name)
                                 for group in workshop.constituencies if not group.retired]
    if form.validate_on_submit():
        ok, participant = attempt(form, participants.join, code, form.constituency.data,
                                  form.nickname.data, form.consent.data)
        if ok:
            remember_participant(workshop.id, participant.id)
            return redirect(url_for(".phone", code=code))
    return render_template("join/consent.html", form=form, workshop=workshop,
                           points=consent_points(workshop.title, workshop.retention_months)), \
        status_for(form)


@bp.get("/p/<code>")
def phone(code: str):
    """The participant's live page."""
    workshop = participants.find_by_code(code)
    if workshop is None:
        return _code_page(code, participants.UNKNOWN_CODE)
    participant = _returning(workshop.id)
    if participant is None:
        return redirect(url_for(".start", code=workshop.join_code))
    return render_template("join/phone.html", workshop=workshop, participant=participant,
                           join_code=display_join_code(workshop.join_code))


def _code_page(code: str, problem: str):
    """The join-code page again, saying kindly why that code did not lead anywhere."""
    return render_template("join/code.html", form=CodeForm(code=code), problem=problem), 404


def _returning(workshop_id: int):
    return participants.returning_participant(workshop_id, participant_in_session(workshop_id))
