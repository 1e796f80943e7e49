"""Joining a workshop from a phone, and coming back as the same participant."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import selectinload

from ..domain import joining
from ..domain.access import Action, allows
from ..domain.actors import Actor
from ..domain.clock import utcnow
from ..domain.consent import CONSENT_VERSION, names_expire_on
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.i18n import _
from ..domain.joincode import normalise_join_code
from ..domain.phases import Phase, may_join
from ..domain.text import clean_line
from ..extensions import db
from ..language import current_language
from ..models import Constituency, Participant, Project, User, Workshop
from ..models.participant import pseudonym
from . import return_codes
from .access import access_of, row_in_workshop, workshop_for_actor
from .events import AccessEnded, Audience
from .fast_path import Statement, room_cached
from .unit import unit_of_work

UNKNOWN_CODE = _("We could not find a workshop with that code. Please check the code on the "
                  "screen and try again.")
CLOSED = _("This workshop has finished, so it is not taking new people. Thank you for coming.")
REMOVED = _("The facilitator has taken you out of this workshop, so this page has stopped. "
            "Please speak to them if you think this is a mistake.")
CONSENT_MISSING = _("Please tick the box to say you have read how we use your answers.")
CHOOSE_GROUP = _("Please choose the group that fits you best.")


def find_by_code(typed_code: str) -> Workshop | None:
    """The workshop a join code belongs to, open or closed, or None."""
    code = normalise_join_code(typed_code)
    return db.session.scalar(select(Workshop).where(Workshop.join_code == code)) if code else None


@dataclass(frozen=True)
class Door:
    """A workshop as its join pages need it: read by its join code in one statement, because a
    thousand phones may ask for it in ten seconds (docs/performance.md, the join storm)."""

    id: int
    join_code: str
    title: str
    phase: str
    joining_locked: bool
    broadcast_seq: int
    retention_months: int
    session_number: int


_workshop, _participant, _group = Workshop.__table__, Participant.__table__, Constituency.__table__
_DOOR = Statement(select(_workshop.c["id", "join_code", "title", "phase", "joining_locked",
                                      "broadcast_seq", "retention_months", "session_number"])
                  .where(_workshop.c.join_code == bindparam("code")))


def door(typed_code: str | None) -> Door | None:
    """The workshop a join code belongs to, open or closed, as its join pages need it, or None."""
    code = normalise_join_code(typed_code or "")
    row = _DOOR.run(db.session.connection(), {"code": code}).fetchone() if code else None
    return _door_of(row) if row else None


def _door_of(row) -> Door:
    return Door(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6], row[7])


def open_door(found: Door | None) -> Door:
    """The door of a workshop that takes people, or a kind error (an unknown code, a closed room)."""
    if found is None:
        raise NotFound(UNKNOWN_CODE, field="code")
    if not may_join(Phase(found.phase)):
        raise Conflict(CLOSED, field="code")
    return found


def door_for_newcomer(found: Door | None) -> Door:
    """The door a new person may come through, or a kind error (RoomLocked while it is locked).

    Ask `returning_participant` first: someone who joined before comes back even when locked.
    """
    found = open_door(found)
    joining.check_new_person(found.joining_locked)
    return found


def workshop_for_newcomer(typed_code: str) -> Door:
    """The open, unlocked workshop a join code belongs to, or a kind error."""
    return door_for_newcomer(door(typed_code))


def offered_groups(workshop_id: int, seq: int) -> list[tuple[int, str]]:
    """The groups a new person may choose, as (id, name), for the room as of broadcast `seq`.

    Built once per change of the room (fast_path.room_cached): a change of groups is broadcast
    to everyone, so it moves `seq` on and the next page shows the new groups at once.
    """
    return room_cached("groups", workshop_id, seq, lambda: [
        (group_id, name) for group_id, name in db.session.execute(
            select(Constituency.id, Constituency.name)
            .where(Constituency.workshop_id == workshop_id, Constituency.retired.is_(False))
            .order_by(Constituency.position))])


def join(typed_code: str, constituency_id, nickname: str | None, consented: bool,
         return_code: str | None = None, as_new: bool = False) -> Participant:
    """Add a participant who read the consent notice and chose a group (see `join_at`)."""
    participant_id = join_at(workshop_for_newcomer(typed_code), constituency_id, nickname,
                             consented, return_code, as_new)
    return db.session.get(Participant, participant_id)


def join_at(found: Door, constituency_id, nickname: str | None, consented: bool,
            return_code: str | None = None, as_new: bool = False) -> int:
    """Add a participant through a workshop's door; returns their id.

    With a return code from an earlier session of the project they keep that session's number
    and group (their name is not carried); a code that cannot be used is refused kindly, and
    they join as someone new only if they say so (`as_new`).
    """
    if consented is not True:
        raise InvalidInput(CONSENT_MISSING, field="consent")
    nickname = clean_line(nickname, limit="nickname", field="nickname",
                          label=_("Name or nickname"), required=False) or None
    if (return_code or "").strip() and not as_new:
        return _join_returning(found, constituency_id, nickname, return_code)
    with unit_of_work(Actor.system()) as unit:
        return _join_new(unit, found.id, constituency_id, nickname)


def _join_returning(found: Door, constituency_id, nickname: str | None, return_code: str) -> int:
    with unit_of_work(Actor.system()) as unit:
        workshop = unit.session.get(Workshop, found.id)
        _check_still_open(workshop.phase, workshop.joining_locked)
        earlier, code_id = return_codes.redeem(unit, workshop, return_code)
        group = return_codes.same_group(workshop, earlier) \
            or _offered_group(workshop.id, constituency_id)
        # The notice was read in the language of this page: kept with its version.
        participant = _add(unit, workshop, group, nickname, returning=earlier,
                           consent_language=current_language())
        return_codes.mark_used_by(unit, code_id, participant)
        return participant.id


def _check_still_open(phase: str, joining_locked) -> None:
    # Checked again inside the joining transaction: the room may have closed or been locked
    # since the page was read.
    if not may_join(Phase(phase)):
        raise Conflict(CLOSED, field="code")
    joining.check_new_person(bool(joining_locked))


# The joining transaction on fixed Core statements (fast_path.Statement): the ORM's statement
# building, loads and reloads were most of a join's cost in a storm (docs/decisions.md).
_TAKE_NUMBER = Statement(
    update(_workshop).where(_workshop.c.id == bindparam("workshop_id"))
    .values(participant_seq=_workshop.c.participant_seq + 1)
    .returning(_workshop.c["participant_seq", "phase", "joining_locked", "broadcast_seq"]))
_ADD_PARTICIPANT = Statement(insert(_participant).values(
    {name: bindparam(name) for name in (
        "workshop_id", "constituency_id", "number", "nickname", "on_paper", "consent_version",
        "consent_language", "joined_at")}).returning(_participant.c.id))


def _join_new(unit, workshop_id: int, constituency_id, nickname: str | None) -> int:
    number, phase, locked, seq = _TAKE_NUMBER.run(unit.connection,
                                                  {"workshop_id": workshop_id}).fetchall()[0]
    _check_still_open(phase, locked)
    group_id = _group_id(constituency_id)
    group = dict(offered_groups(workshop_id, seq)).get(group_id)
    if group is None:
        raise InvalidInput(CHOOSE_GROUP, field="constituency")
    language = current_language()
    participant_id = _ADD_PARTICIPANT.run(unit.connection, {
        "workshop_id": workshop_id, "constituency_id": group_id, "number": number,
        "nickname": nickname, "on_paper": False, "consent_version": CONSENT_VERSION,
        "consent_language": language, "joined_at": utcnow()}).fetchall()[0][0]
    unit.audit("participant.joined", {
        "participant_id": participant_id, "number": number, "constituency": group,
        "consent_version": CONSENT_VERSION, "consent_language": language, "on_paper": False,
        "facilitator_voting": False}, workshop_id=workshop_id,
        actor=Actor.participant(participant_id, group))
    unit.broadcast(workshop_id, "participant.joined",
                   _person_view(participant_id, number, nickname, group, group_id),
                   audience=Audience.STAFF)
    _refresh_joins(unit, workshop_id)
    return participant_id


def _group_id(constituency_id) -> int | None:
    try:
        return int(constituency_id)
    except (TypeError, ValueError):
        return None


def _refresh_joins(unit, workshop_id: int) -> None:
    unit.refresh(workshop_id, "counts")
    unit.refresh(workshop_id, "joining")


def _add(unit, workshop: Workshop, group: Constituency, nickname: str | None,
         returning: Participant | None = None, **details) -> Participant:
    number = returning.number if returning else _next_number(workshop.id)
    participant = Participant(workshop_id=workshop.id, constituency_id=group.id,
                              number=number, nickname=nickname,
                              returned_from_id=returning.id if returning else None,
                              consent_version=CONSENT_VERSION, **details)
    unit.session.add(participant)
    unit.session.flush()
    joined_by = Actor.participant(participant.id, group.name) if unit.actor.kind == "system" \
        else unit.actor
    unit.audit("participant.joined", {"participant_id": participant.id,
                                      "number": participant.number, "constituency": group.name,
                                      "consent_version": CONSENT_VERSION,
                                      "consent_language": participant.consent_language,
                                      "on_paper": participant.on_paper,
                                      "facilitator_voting": participant.user_id is not None,
                                      **_returning_payload(returning)},
               workshop_id=workshop.id, actor=joined_by)
    unit.broadcast(workshop.id, "participant.joined", participant_view(participant, group),
                   audience=Audience.STAFF)
    _refresh_joins(unit, workshop.id)
    return participant


def _returning_payload(returning: Participant | None) -> dict:
    # Only someone who came back with a return code carries these keys.
    if returning is None:
        return {}
    return {"returning": True, "returned_from_participant_id": returning.id}


def _offered_group(workshop_id: int, constituency_id) -> Constituency:
    group = row_in_workshop(Constituency, workshop_id, constituency_id)
    if group is None or group.retired:
        raise InvalidInput(CHOOSE_GROUP, field="constituency")
    return group


def _next_number(workshop_id: int) -> int:
    return db.session.execute(
        update(Workshop).where(Workshop.id == workshop_id)
        .values(participant_seq=Workshop.participant_seq + 1)
        .returning(Workshop.participant_seq)).scalar_one()


def join_pace(workshop: Workshop) -> joining.JoinPace:
    """How the room is joining now: joins in the last minute, the busiest minute, warnings."""
    rows = db.session.execute(select(Participant.joined_at, Participant.removed_at)
                              .where(Participant.workshop_id == workshop.id)).all()
    return joining.join_pace([joined for joined, _ in rows],
                             total=sum(1 for _, removed in rows if removed is None),
                             expected_size=workshop.expected_size, now=utcnow())


def returning_participant(workshop_id: int, participant_id: int | None) -> Participant | None:
    """The participant a phone's session names, if it still belongs to this workshop.

    Someone the facilitator removed is not let back in by their cookie: they would need the
    join code, like anyone new.
    """
    if participant_id is None:
        return None
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop_id or participant.removed_at:
        return None
    if participant.user_id is not None and not _account_may_still_vote(participant):
        return None  # "Vote too" ends with the account's access to the workshop
    return participant


_PHONE_PERSON = Statement(
    select(_participant.c.workshop_id, _participant.c.removed_at, _participant.c.user_id,
           _group.c.name)
    .join_from(_participant, _group, _group.c.id == _participant.c.constituency_id)
    .where(_participant.c.id == bindparam("participant_id")))


def phone_actor(workshop_id: int, participant_id: int | None) -> Actor | None:
    """The actor a phone's cookie names, by `returning_participant`'s rules, in one statement
    (every phone connects at once in a join storm)."""
    if participant_id is None:
        return None
    row = _PHONE_PERSON.run(db.session.connection(),
                            {"participant_id": participant_id}).fetchone()
    if row is None or row[0] != workshop_id or row[1] is not None:
        return None
    if row[2] is not None:  # a facilitator voting too: their account's access is checked
        participant = returning_participant(workshop_id, participant_id)
        return actor_for(participant) if participant else None
    return Actor.participant(participant_id, row[3])


def _account_may_still_vote(participant: Participant) -> bool:
    user = db.session.get(User, participant.user_id)
    return bool(user and user.is_enabled
                and allows(access_of(user.id, participant.workshop_id), Action.RUN))


def actor_for(participant: Participant) -> Actor:
    """The audit actor for a participant: their id and group, never their name."""
    return Actor.participant(participant.id, participant.constituency.name)


def participant_view(participant: Participant, group: Constituency | None = None) -> dict:
    """A participant as the facilitator console sees them (the only place names appear)."""
    group = group or participant.constituency
    return _person_view(participant.id, participant.number, participant.nickname, group.name,
                        group.id, participant.on_paper, participant.removed_at is not None)


def _person_view(participant_id: int, number: int, nickname: str | None, group_name: str,
                 group_id: int, on_paper: bool = False, removed: bool = False) -> dict:
    return {"id": participant_id, "pseudonym": pseudonym(number),
            "number": number, "nickname": nickname, "constituency": group_name,
            "constituency_id": group_id, "on_paper": on_paper, "removed": removed}


def counts_by_constituency(workshop_id: int) -> list[dict]:
    """How many people joined from each group (every active group listed, even at zero)."""
    # With the project's hoped-for people per group (None: not set): screens say "Carers 7 of
    # 10". One statement: it runs on every refresh of the counts while a room joins.
    rows = db.session.execute(
        select(Constituency.id, Constituency.name, func.count(Participant.id),
               Project.target_per_group)
        .join(Workshop, Workshop.id == Constituency.workshop_id)
        .join(Project, Project.id == Workshop.project_id)
        .outerjoin(Participant, (Participant.constituency_id == Constituency.id)
                   & Participant.removed_at.is_(None))  # people the facilitator removed left
        .where(Constituency.workshop_id == workshop_id)
        .where(Constituency.retired.is_(False) | Participant.id.is_not(None))
        .group_by(Constituency.id, Constituency.name, Constituency.position,
                  Project.target_per_group)
        .order_by(Constituency.position))
    return [{"id": group_id, "name": name, "count": count, "target": target}
            for group_id, name, count, target in rows]


def group_names(workshop_id: int) -> list[str]:
    """Every group of a workshop (retired ones too), in the workshop's order."""
    return list(db.session.scalars(select(Constituency.name).where(
        Constituency.workshop_id == workshop_id).order_by(Constituency.position)))


def in_group_order(names: Iterable[str], order: list[str]) -> list[str]:
    """Group names, once each, in the workshop's order (`group_names`) with the facilitator's
    ideas last: the one order every page, export and live view lists groups in."""
    rank = {name: index for index, name in enumerate(order)}
    return sorted(set(names), key=lambda name: (rank.get(name, len(rank)), name))


def participants_of(workshop_id: int) -> list[Participant]:
    """Everyone who joined a workshop, in the order they joined (with their groups)."""
    return list(db.session.scalars(select(Participant).where(Participant.workshop_id == workshop_id)
                                   .order_by(Participant.number)
                                   .options(selectinload(Participant.constituency))))


def add_on_paper(actor: Actor, workshop_id: int, constituency_id, name) -> Participant:
    """Add someone taking part without a phone; a helper enters their ideas and votes."""
    name = clean_line(name, limit="nickname", field="name", label=_("Their name or initials"))
    with unit_of_work(actor) as unit:
        workshop = workshop_for_actor(actor, workshop_id, Action.ENTER_FOR_PAPER)
        if not may_join(Phase(workshop.phase)):
            raise Conflict(CLOSED)
        participant = _add(unit, workshop, _offered_group(workshop.id, constituency_id), name,
                           on_paper=True, added_by_user_id=actor.user_id)
        return participant


def join_as_staff(actor: Actor, workshop_id: int, constituency_id) -> Participant:
    """A facilitator who chooses to vote too joins as a participant of a group (once)."""
    with unit_of_work(actor) as unit:
        workshop = workshop_for_actor(actor, workshop_id, Action.RUN)
        existing = unit.session.scalar(select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.user_id == actor.user_id))
        if existing:
            return existing
        return _add(unit, workshop, _offered_group(workshop.id, constituency_id), None,
                    user_id=actor.user_id, added_by_user_id=actor.user_id)


def helper_actor(actor: Actor, workshop_id: int, participant_id) -> Actor:
    """The actor for a helper entering something for a paper participant of this workshop."""
    participant = row_in_workshop(Participant, workshop_id, participant_id)
    if participant is None or not participant.on_paper:
        raise NotFound(_("Please choose a person taking part on paper."), field="participant_id")
    return actor.acting_for(participant.id, participant.constituency.name)


def on_paper(workshop_id: int) -> list[Participant]:
    """The people taking part on paper, in the order they were added."""
    return [person for person in participants_of(workshop_id)
            if person.on_paper and person.removed_at is None]


def forget_name(actor: Actor, workshop_id: int, participant_id) -> dict:
    """Delete a participant's name or nickname (they asked, or the facilitator judged it wise).

    Names never go on the audit trail, so removing one leaves the chain intact.
    """
    with unit_of_work(actor) as unit:
        workshop, person = _person_to_manage(actor, workshop_id, participant_id)
        had_name = person.nickname is not None
        person.nickname = None
        if had_name:
            unit.audit("participant.name_removed", {"participant_id": person.id},
                       workshop_id=workshop.id)
            unit.broadcast(workshop.id, "participant.changed", participant_view(person),
                           audience=Audience.STAFF)
        return {"participant": participant_view(person)}


def remove(actor: Actor, workshop_id: int, participant_id) -> dict:
    """Take someone out of the workshop: their screens close and their link stops working.

    What they already added stays as it was: their ideas, and the votes they cast (a vote was
    counted as cast by someone in the room at the time; see docs/audit.md).
    """
    with unit_of_work(actor) as unit:
        workshop, person = _person_to_manage(actor, workshop_id, participant_id)
        if person.removed_at is None:
            person.removed_at = utcnow()
            return_codes.void_for(person.id, person.removed_at)  # nobody comes back as them
            unit.audit("participant.removed", {"participant_id": person.id},
                       workshop_id=workshop.id)
            unit.events.append(AccessEnded.participant(person.id, "removed"))
            unit.broadcast(workshop.id, "participant.changed", participant_view(person),
                           audience=Audience.STAFF)
            unit.refresh(workshop.id, "counts")
            unit.refresh(workshop.id, "joining")  # the room's size no longer counts them
        return {"participant": participant_view(person)}


def _person_to_manage(actor: Actor, workshop_id: int,
                      participant_id) -> tuple[Workshop, Participant]:
    # Only someone who runs the workshop manages its people, and only its own people.
    workshop = workshop_for_actor(actor, workshop_id, Action.RUN)
    person = row_in_workshop(Participant, workshop.id, participant_id)
    if person is None:
        raise NotFound(_("We could not find that person in this workshop."),
                       field="participant_id")
    return workshop, person


def erase_expired_names(today: date) -> dict[int, int]:
    """Delete the names of everyone in workshops whose retention period has ended.

    Returns {workshop id: names deleted}. Run daily (see docs/deploy.md).
    """
    erased = {}
    for workshop in db.session.scalars(select(Workshop)):
        if names_expire_on(workshop.held_on, workshop.retention_months) > today:
            continue
        with unit_of_work(Actor.system()) as unit:
            named = list(unit.session.scalars(select(Participant).where(
                Participant.workshop_id == workshop.id, Participant.nickname.is_not(None))))
            for person in named:
                person.nickname = None
            if named:
                unit.audit("participants.names_erased", {
                    "count": len(named), "retention_months": workshop.retention_months},
                    workshop_id=workshop.id)
        if named:
            erased[workshop.id] = len(named)
    return erased
