"""Return codes: a participant who chooses it is recognised in the project's next session.

Nobody is linked across sessions unless they (or a facilitator, for someone on paper) ask for a
code and type it when joining again. The code is stored (it has to be checked), but the audit
trail keeps only its last two characters: it works like a key.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from ..domain import return_codes as rules
from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.cards import CardState
from ..domain.clock import iso, utcnow
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.i18n import _
from ..extensions import db
from ..models import Card, Constituency, Participant, ReturnCode, Workshop
from .access import row_in_workshop, workshop_for_actor, workshop_for_participant
from .unit import Unit, unit_of_work

PERSON_NOT_FOUND = _("We could not find that person in this workshop.")


def ask(actor: Actor, workshop_id: int) -> dict:
    """A participant asks for their code on their phone (asking again shows the same one)."""
    if actor.kind != "participant":
        raise Forbidden(_("Only a participant can ask for their own return code."))
    with unit_of_work(actor) as unit:
        workshop, person = workshop_for_participant(actor.participant_id, workshop_id)
        return code_view(_active_or_new(unit, workshop, person, issued_by_user_id=None), person)


def issue(actor: Actor, workshop_id: int, participant_id) -> dict:
    """A facilitator issues a participant's code, to print on a card (e.g. for someone on paper)."""
    with unit_of_work(actor) as unit:
        workshop = workshop_for_actor(actor, workshop_id, Action.RUN)
        person = row_in_workshop(Participant, workshop.id, participant_id)
        if person is None or person.removed_at is not None:
            raise NotFound(PERSON_NOT_FOUND, field="participant_id")
        return code_view(_active_or_new(unit, workshop, person, issued_by_user_id=actor.user_id),
                         person)


def codes_for(workshop_id: int) -> list[dict]:
    """Every code still to be used by this session's people (the printable cards), by number.

    The caller checks access (RUN): these are keys to people's pseudonyms.
    """
    rows = db.session.execute(
        select(ReturnCode, Participant).join(Participant, ReturnCode.participant_id == Participant.id)
        .where(Participant.workshop_id == workshop_id, Participant.removed_at.is_(None),
               ReturnCode.used_at.is_(None), ReturnCode.expires_at > utcnow())
        .order_by(Participant.number))
    return [code_view(code, person) for code, person in rows]


def active_code_of(participant_id: int) -> dict | None:
    """A participant's code still to be used, if they asked for one (to show it again)."""
    code = _active(participant_id)
    return code_view(code, db.session.get(Participant, participant_id)) if code else None


def code_view(code: ReturnCode, person: Participant) -> dict:
    """A code as a phone or a printed card shows it (never on the audit trail)."""
    return {"code": rules.display_return_code(code.code), "participant_id": person.id,
            "number": person.number, "pseudonym": person.pseudonym,
            "group": person.constituency.name, "expires_at": code.expires_at,
            "issued_at": code.issued_at}


def redeem(unit: Unit, workshop: Workshop, typed_code) -> tuple[Participant, int]:
    """Mark a code used for joining `workshop`: the earlier self it names, and the code's id.

    Inside the joining unit of work, so the code is used if and only if the person joins. Any
    code that cannot be used raises the one kind message (rules.UNUSABLE) on `return_code`.
    """
    code = rules.normalise_return_code(typed_code)
    row = unit.session.scalar(select(ReturnCode).where(
        ReturnCode.project_id == workshop.project_id, ReturnCode.code == code)) if code else None
    earlier = unit.session.get(Participant, row.participant_id) if row else None
    if not rules.usable(_facts(row, earlier, workshop)) or _number_taken(workshop, earlier):
        raise InvalidInput(rules.UNUSABLE, field="return_code")
    # Only the first of two phones typing the same code at once gets it.
    used = unit.session.execute(update(ReturnCode).where(
        ReturnCode.id == row.id, ReturnCode.used_at.is_(None)).values(used_at=utcnow()))
    if used.rowcount != 1:
        raise InvalidInput(rules.UNUSABLE, field="return_code")
    return earlier, row.id


def mark_used_by(unit: Unit, code_id: int, participant: Participant) -> None:
    """Record who used the code `redeem` took, once the new participant has an id."""
    unit.session.execute(update(ReturnCode).where(ReturnCode.id == code_id)
                         .values(used_by_participant_id=participant.id))


def same_group(workshop: Workshop, earlier: Participant) -> Constituency | None:
    """The group of the same name in this session, unless it was retired or is gone."""
    return db.session.scalar(select(Constituency).where(
        Constituency.workshop_id == workshop.id, Constituency.name == earlier.constituency.name,
        Constituency.retired.is_(False)))


def void_for(participant_id: int, now: datetime) -> None:
    """End a removed participant's unused code (inside the removing unit of work)."""
    db.session.execute(update(ReturnCode).where(
        ReturnCode.participant_id == participant_id, ReturnCode.used_at.is_(None),
        ReturnCode.expires_at > now).values(expires_at=now))


def earlier_selves(participant: Participant) -> list[int]:
    """The ids of the same person in earlier sessions, following return codes back."""
    ids, seen = [], {participant.id}
    current = participant.returned_from_id
    while current is not None and current not in seen:
        ids.append(current)
        seen.add(current)
        current = db.session.scalar(select(Participant.returned_from_id)
                                    .where(Participant.id == current))
    return ids


def ideas_from_last_time(participant: Participant) -> list[Card]:
    """This session's cards written by an earlier self (carried forward), in the wall's order."""
    selves = earlier_selves(participant)
    if not selves:
        return []
    return list(db.session.scalars(select(Card).where(
        Card.workshop_id == participant.workshop_id, Card.participant_id.in_(selves),
        Card.state != CardState.HIDDEN.value).order_by(Card.created_at, Card.id)))


def _active(participant_id: int) -> ReturnCode | None:
    return db.session.scalar(select(ReturnCode).where(
        ReturnCode.participant_id == participant_id, ReturnCode.used_at.is_(None),
        ReturnCode.expires_at > utcnow()).order_by(ReturnCode.id.desc()).limit(1))


def _active_or_new(unit: Unit, workshop: Workshop, person: Participant,
                   issued_by_user_id: int | None) -> ReturnCode:
    existing = _active(person.id)
    if existing is not None:
        return existing
    now = utcnow()
    code = ReturnCode(project_id=workshop.project_id, code=_unused_code(workshop.project_id),
                      participant_id=person.id, issued_by_user_id=issued_by_user_id,
                      issued_at=now, expires_at=rules.expires_at(now, _days()))
    unit.session.add(code)
    unit.audit("return_code.issued", {
        "participant_id": person.id, "number": person.number,
        "by": "facilitator" if issued_by_user_id else "participant",
        "code_ends": rules.code_ending(code.code), "expires_at": iso(code.expires_at)},
        workshop_id=workshop.id)
    return code


def _unused_code(project_id: int) -> str:
    # 19^8 codes: a clash is rare, but checked, since (project, code) is unique.
    for _attempt in range(20):
        code = rules.new_return_code()
        if db.session.scalar(select(ReturnCode.id).where(
                ReturnCode.project_id == project_id, ReturnCode.code == code)) is None:
            return code
    raise Conflict(_("We could not make a return code. Please try again."))


def _facts(row: ReturnCode | None, earlier: Participant | None,
           workshop: Workshop) -> rules.CodeFacts | None:
    if row is None or earlier is None:
        return None
    session = db.session.get(Workshop, earlier.workshop_id)
    return rules.CodeFacts(
        used=row.used_at is not None, expired=row.expires_at <= utcnow(),
        removed=earlier.removed_at is not None,
        earlier_session=(session.project_id == workshop.project_id
                         and session.session_number < workshop.session_number))


def _number_taken(workshop: Workshop, earlier: Participant | None) -> bool:
    # Someone in this session already has that number (the same person came back twice, or a
    # session that went on after the next one began gave it away): never two people as one.
    return earlier is not None and db.session.scalar(select(Participant.id).where(
        Participant.workshop_id == workshop.id, Participant.number == earlier.number)) is not None


def _days() -> int:
    return int(current_app.config.get("RETURN_CODE_DAYS", rules.DEFAULT_DAYS))
