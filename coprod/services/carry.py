"""The next session of a project: a new workshop that carries forward everything the last one
built (groups, roles, every idea with its history and result, and the outlines' versions).

Votes, participants and the audit trail stay with the session they happened in: the new
session's ideas point back at the ideas they continue (`carried_from_id`), keep the person who
wrote them (`participant_id` names them in their own session, so exports still find their
group), and say how the last vote on them went (`earlier_result`).
"""

import json

from sqlalchemy import func, select

from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.audit import GENESIS_HASH
from ..domain.errors import Conflict
from ..domain.i18n import _
from ..domain.outlines import with_card_ids_mapped
from ..domain.phases import Phase
from ..extensions import db
from ..models import (
    AuditChain,
    Card,
    CardMerge,
    CardRevision,
    Constituency,
    OutlineVersion,
    Project,
    Role,
    Workshop,
    WorkshopMember,
)
from .chain import chain_key
from .projects import newest_session_id, project_for_user
from .unit import Unit, unit_of_work
from .voting import results, rounds_of
from .workshops import WorkshopDetails, clean_details, unused_join_code

# What a new session takes over from the last one as it is: the room's rules and how it runs.
CARRIED_SETTINGS = ("consensus_threshold", "consensus_min_voters", "divisive_gap", "approve_first",
                    "retention_months", "bilingual_wall", "expected_size", "duration", "expenses")
# Everything a card says about itself, copied to its continuation in the next session.
CARRIED_CARD_FIELDS = ("kind", "text", "language", "translation", "translated_by_user_id",
                       "version", "state", "hidden_reason", "participant_id", "author_user_id",
                       "entered_by_user_id", "evidence_item_id", "created_at", "updated_at")
CARRIED_VERSION_FIELDS = ("number", "summary", "status", "saved_by_user_id", "saved_at",
                          "agreed_by_user_id", "agreed_at", "agreed_note", "session_number")


def start_next_session(actor: Actor, project_id, details: WorkshopDetails) -> int:
    """Start the project's next session from its newest one; returns the new session's id.

    One change: the new workshop (with the last session's settings, sharing, groups and roles),
    a copy of every idea (whatever its state, with its wording history, merges and the result
    of the last vote it was in), and every version of each role's outline, whose lines point at
    the new copies of their ideas.
    """
    details = clean_details(details)
    with unit_of_work(actor) as unit:
        project, _access = project_for_user(actor.user_id, project_id, Action.RUN)
        _lock(project)  # two facilitators starting it at once make one session, not two
        previous = db.session.get(Workshop, newest_session_id(project.id))
        _check_held(previous)
        workshop = _new_session(unit, project, previous, details)
        roles = _carry_roles(unit, previous, workshop)
        cards = _carry_cards(unit, previous, workshop, roles)
        versions = _carry_outlines(unit, roles, cards, workshop)
        _audit(unit, project, previous, workshop, roles, cards, versions)
        return workshop.id


def _lock(project: Project) -> None:
    # PostgreSQL: hold the project row until the commit. SQLite holds the whole database's
    # write lock from the start of the transaction, so it needs nothing more.
    db.session.execute(select(Project.id).where(Project.id == project.id).with_for_update())


def not_ready_because(newest: Workshop):
    """Why the next session cannot start after `newest` yet (a Message), or None if it can.

    A session that has not started (still welcoming people) comes first: starting another
    after it would copy nothing new, and is most often a second click on the button."""
    if Phase(newest.phase) is Phase.LOBBY:
        return _("Session %(number)s has not started yet. Please run it before you start the "
                 "next session.", number=newest.session_number)
    return None


def _check_held(previous: Workshop) -> None:
    reason = not_ready_because(previous)
    if reason is not None:
        raise Conflict(reason)


def _new_session(unit: Unit, project: Project, previous: Workshop,
                 details: WorkshopDetails) -> Workshop:
    workshop = Workshop(
        title=details.title, held_on=details.held_on, venue=details.venue,
        join_code=unused_join_code(), owner_id=project.owner_id, phase=Phase.LOBBY.value,
        project_id=project.id, session_number=previous.session_number + 1,
        participant_seq=_highest_participant_number(project.id),
        **{name: getattr(previous, name) for name in CARRIED_SETTINGS})
    unit.session.add(workshop)
    unit.session.flush()
    unit.session.add(AuditChain(key=chain_key(workshop.id), workshop_id=workshop.id,
                                head_hash=GENESIS_HASH))
    # The project's sharing reaches every session: the same people, with the same access.
    for member in previous.members:
        unit.session.add(WorkshopMember(workshop_id=workshop.id, user_id=member.user_id,
                                        access=member.access))
    for group in previous.constituencies:
        if not group.retired:
            unit.session.add(Constituency(workshop_id=workshop.id, name=group.name,
                                          position=group.position))
    return workshop


def _highest_participant_number(project_id: int) -> int:
    # People who come back with a return code keep their number; nobody new gets one that
    # anybody in the project already had.
    return db.session.scalar(select(func.max(Workshop.participant_seq))
                             .where(Workshop.project_id == project_id)) or 0


def _carry_roles(unit: Unit, previous: Workshop, workshop: Workshop) -> dict[int, Role]:
    """The roles still being designed, continued: {old role id: new role}."""
    roles = {}
    for role in previous.roles:
        if role.retired:
            continue
        roles[role.id] = Role(workshop_id=workshop.id, title=role.title, setting=role.setting,
                              purpose=role.purpose, template_key=role.template_key,
                              position=role.position, carried_from_id=role.id)
        unit.session.add(roles[role.id])
    unit.session.flush()
    return roles


def _carry_cards(unit: Unit, previous: Workshop, workshop: Workshop,
                 roles: dict[int, Role]) -> dict[int, int]:
    """Every idea continued, with its wording history and merges: {old card id: new card id}."""
    old_cards = list(db.session.scalars(select(Card).where(Card.workshop_id == previous.id)
                                        .order_by(Card.id)))
    earlier = earlier_results(previous)
    new_cards = {}
    for card in old_cards:
        role = roles.get(card.role_id)  # an idea for a role no longer designed: for any role
        new_cards[card.id] = Card(workshop_id=workshop.id, role_id=role.id if role else None,
                                  carried_from_id=card.id, earlier_result=earlier.get(card.id),
                                  **{name: getattr(card, name) for name in CARRIED_CARD_FIELDS})
        unit.session.add(new_cards[card.id])
    unit.session.flush()
    ids = {old: new.id for old, new in new_cards.items()}
    for card in old_cards:
        if card.merged_into_id is not None:
            new_cards[card.id].merged_into_id = ids.get(card.merged_into_id)
    _carry_revisions(unit, ids)
    _carry_merges(unit, previous, workshop, ids)
    unit.session.flush()
    return ids


def earlier_results(workshop: Workshop) -> dict[int, str]:
    """Each idea's consensus status in the newest closed vote that included it, by card id."""
    statuses: dict[int, str] = {}
    for vote_round in rounds_of(workshop.id):
        if vote_round.state == "open":  # not a result yet: people may still be voting
            continue
        for card in results(vote_round, workshop)["cards"]:
            statuses[card["card_id"]] = card["status"]
    return statuses


def _carry_revisions(unit: Unit, ids: dict[int, int]) -> None:
    query = select(CardRevision).where(CardRevision.card_id.in_(list(ids)))
    for revision in db.session.scalars(query.order_by(CardRevision.id)):
        unit.session.add(CardRevision(card_id=ids[revision.card_id], version=revision.version,
                                      text=revision.text,
                                      edited_by_user_id=revision.edited_by_user_id,
                                      created_at=revision.created_at))


def _carry_merges(unit: Unit, previous: Workshop, workshop: Workshop, ids: dict[int, int]) -> None:
    # Votes stay in the session they were cast in, so a carried merge moved none: undoing it
    # in the new session only splits the ideas.
    for merge in db.session.scalars(select(CardMerge).where(
            CardMerge.workshop_id == previous.id, CardMerge.undone_at.is_(None))
            .order_by(CardMerge.id)):
        unit.session.add(CardMerge(workshop_id=workshop.id, target_id=ids[merge.target_id],
                                   source_id=ids[merge.source_id], source_state=merge.source_state,
                                   moves="[]", merged_by_user_id=merge.merged_by_user_id,
                                   merged_at=merge.merged_at))


def _carry_outlines(unit: Unit, roles: dict[int, Role], cards: dict[int, int],
                    workshop: Workshop) -> dict[int, int]:
    """Every version of each carried role's outline, numbers and sessions kept, lines pointing
    at the new session's ideas: {old version id: new version id}."""
    old_versions = list(db.session.scalars(
        select(OutlineVersion).where(OutlineVersion.role_id.in_(list(roles)))
        .order_by(OutlineVersion.role_id, OutlineVersion.number)))
    new_versions = {}
    for version in old_versions:
        # Versions are never changed once written (the database refuses), so the content is
        # made whole before the row goes in.
        content = with_card_ids_mapped(json.loads(version.content), cards)
        new_versions[version.id] = OutlineVersion(
            workshop_id=workshop.id, role_id=roles[version.role_id].id,
            content=json.dumps(content, ensure_ascii=False), carried_from_id=version.id,
            **{name: getattr(version, name) for name in CARRIED_VERSION_FIELDS})
        unit.session.add(new_versions[version.id])
    unit.session.flush()
    return {old: new.id for old, new in new_versions.items()}


def _audit(unit: Unit, project: Project, previous: Workshop, workshop: Workshop,
           roles: dict[int, Role], cards: dict[int, int], versions: dict[int, int]) -> None:
    groups = [group.name for group in previous.constituencies if not group.retired]
    unit.audit("workshop.created", {
        "title": workshop.title, "held_on": workshop.held_on.isoformat(), "venue": workshop.venue,
        "join_code": workshop.join_code, "constituencies": groups,
        "roles": [role.title for role in roles.values()],
        "project": {"id": project.id, "title": project.title},
        "session_number": workshop.session_number, "carried_from_workshop_id": previous.id,
        "settings": {name: getattr(workshop, name) for name in CARRIED_SETTINGS},
    }, workshop_id=workshop.id)
    unit.audit("session.carried_forward", {
        "from_workshop_id": previous.id,
        "roles": _text_keys({old: role.id for old, role in roles.items()}),
        "cards": _text_keys(cards), "outline_versions": _text_keys(versions),
    }, workshop_id=workshop.id)


def _text_keys(ids: dict[int, int]) -> dict[str, int]:
    # Audit payloads are JSON: their keys are text.
    return {str(old): new for old, new in ids.items()}
