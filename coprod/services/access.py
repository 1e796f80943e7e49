"""Loading a workshop on behalf of an actor, refusing anyone it is not shared with."""

from sqlalchemy import select

from ..domain.access import Access, Action, require
from ..domain.actors import Actor
from ..domain.errors import Forbidden, NotFound
from ..domain.i18n import _
from ..domain.text import LARGEST_INTEGER
from ..extensions import db
from ..models import Participant, Workshop, WorkshopMember

NOT_FOUND = _("We could not find that workshop. It may have been closed or the link may be wrong.")
REMOVED = _("You are no longer taking part in this workshop. Please speak to the facilitator.")


def access_of(user_id: int, workshop_id: int) -> Access | None:
    """The access an account has to a workshop, or None."""
    value = db.session.scalar(select(WorkshopMember.access).where(
        WorkshopMember.workshop_id == workshop_id, WorkshopMember.user_id == user_id))
    return Access(value) if value else None


def session_ids(project_id: int) -> list[int]:
    """The workshops (sessions) of a project, first session first."""
    return list(db.session.scalars(select(Workshop.id).where(Workshop.project_id == project_id)
                                   .order_by(Workshop.session_number, Workshop.id)))


def workshop_for_user(user_id: int, workshop_id: int, action: Action) -> tuple[Workshop, Access]:
    """The workshop and the user's access, if the user may take `action` in it.

    A workshop not shared with the user is reported as not found, so its existence stays private.
    """
    access = access_of(user_id, workshop_id)
    workshop = db.session.get(Workshop, workshop_id) if access else None
    if workshop is None:
        raise NotFound(NOT_FOUND)
    require(access, action)
    return workshop, access


def workshop_for_actor(actor: Actor, workshop_id: int, action: Action) -> Workshop:
    """The workshop, if this actor (an account or a participant of it) may take `action`."""
    if actor.kind == "participant":
        return workshop_for_participant(actor.participant_id, workshop_id)[0]
    if actor.user_id is None:
        raise Forbidden(_("Please sign in first."))
    return workshop_for_user(actor.user_id, workshop_id, action)[0]


def workshop_for_participant(participant_id: int, workshop_id: int) -> tuple[Workshop, Participant]:
    """The workshop and participant, if this participant belongs to it (and was not removed)."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop_id:
        raise NotFound(NOT_FOUND)
    if participant.removed_at is not None:
        raise Forbidden(REMOVED)
    return db.session.get(Workshop, workshop_id), participant


def voter_for(actor: Actor, workshop_id: int) -> Participant:
    """Who an action counts for: the participant themselves, or the paper participant a helper
    enters it for. Facilitators vote only if they chose to join as a participant too."""
    if actor.kind not in ("participant", "helper") or actor.participant_id is None:
        raise Forbidden(_("Facilitators do not vote unless they choose to. Use 'Vote too' on the "
                          "console to take part."))
    participant = row_in_workshop(Participant, workshop_id, actor.participant_id)
    if participant is None:
        raise NotFound(_("We could not find that person in this workshop."))
    if participant.removed_at is not None:
        raise Forbidden(REMOVED)
    if actor.kind == "helper" and not participant.on_paper:
        raise Forbidden(_("Helpers enter ideas and votes only for people taking part on paper."))
    return participant


def row_in_workshop(model, workshop_id: int, row_id):
    """The `model` row with this id if it belongs to this workshop, else None.

    Ids come from clients: anything that is not a whole number, or names a row of another
    workshop, is treated as unknown, so one workshop's people can never reach another's rows.
    """
    try:
        row_id = int(row_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 1 <= row_id <= LARGEST_INTEGER:  # beyond what the database can hold: no such row
        return None
    row = db.session.get(model, row_id)
    return row if row is not None and row.workshop_id == workshop_id else None
