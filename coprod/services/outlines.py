"""Role outlines: built from cards in the room, every change saved as a new version, signed off
versions frozen, and the evidence (cards and votes) each line came from."""

import json

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..domain import outlines as rules
from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.cards import CardState
from ..domain.clock import iso, utcnow
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.i18n import _
from ..domain.labels import SIGN_OFF_NEEDS
from ..domain.outline_templates import starting_outline
from ..domain.text import clean_line
from ..extensions import db
from ..language import current_language, in_each_language
from ..models import Card, OutlineVersion, Role, User, Workshop
from .access import row_in_workshop, workshop_for_user
from .accounts import display_name
from .events import Audience
from .unit import Unit, unit_of_work
from .voting import results, rounds_of

STALE = _("Someone else changed this outline a moment ago, so your change was not saved. "
          "The latest version is showing now: please try again.")


def role_in(workshop_id: int, role_id) -> Role:
    """A role (still being designed) of this workshop, or not found."""
    role = row_in_workshop(Role, workshop_id, role_id)
    if role is None or role.retired:
        raise NotFound(_("We could not find that role in this workshop."), field="role_id")
    return role


def latest_version(role_id: int) -> OutlineVersion | None:
    """The newest version of a role's outline (the one being built, or the last agreed)."""
    return db.session.scalar(select(OutlineVersion).where(OutlineVersion.role_id == role_id)
                             .order_by(OutlineVersion.number.desc()).limit(1))


def version_of(role_id: int, number) -> OutlineVersion:
    """One numbered version, or not found."""
    found = db.session.scalar(select(OutlineVersion).where(
        OutlineVersion.role_id == role_id, OutlineVersion.number == number)) \
        if isinstance(number, int) else None
    if found is None:
        raise NotFound(_("We could not find that version of the outline."), field="version")
    return found


def content_of(version: OutlineVersion) -> dict:
    """A version's outline content."""
    return json.loads(version.content)


def ensure_outline(actor: Actor, workshop_id: int, role_id) -> dict:
    """The role's latest version, creating version 1 from its template the first time."""
    workshop = workshop_for_user(actor.user_id, workshop_id, Action.RUN)[0]
    existing = latest_version(role_in(workshop.id, role_id).id)
    if existing is not None:  # the usual case: a read, no write lock
        return version_view(existing)
    with unit_of_work(actor) as unit:
        workshop = workshop_for_user(actor.user_id, workshop_id, Action.RUN)[0]
        role = role_in(workshop.id, role_id)
        version = latest_version(role.id) or _save(
            unit, workshop, role, starting_outline(role.title, role.setting, role.purpose,
                                                   role.template_key, in_each_language),
            1, _("Started from the template") if role.template_key else _("Started"),
            "outline.created")
        return version_view(version)


def change(actor: Actor, workshop_id: int, role_id, base_version, operation: dict) -> dict:
    """Apply one builder change to the latest draft; the result is saved as a new version."""
    with unit_of_work(actor) as unit:
        workshop = workshop_for_user(actor.user_id, workshop_id, Action.RUN)[0]
        role = role_in(workshop.id, role_id)
        latest = _editable_latest(role, base_version)
        result = _apply(unit, workshop.id, content_of(latest), operation)
        version = _save(unit, workshop, role, result.content, latest.number + 1, result.summary,
                        "outline.changed", {"operation": operation.get("kind")})
        return version_view(version)


def _editable_latest(role: Role, base_version) -> OutlineVersion:
    latest = latest_version(role.id)
    if latest is None:
        raise Conflict(_("Please open the outline builder for this role first."))
    if base_version != latest.number:
        raise Conflict(STALE, field="base_version")
    if latest.status == "agreed":
        raise Conflict(_("Version %(number)s was agreed and is now frozen, so it cannot be "
                         "changed. Start a new draft to make changes.", number=latest.number),
                       field="base_version")
    return latest


def _apply(unit: Unit, workshop_id: int, content: dict, operation: dict) -> rules.Change:
    kind = operation.get("kind") if isinstance(operation, dict) else None
    if kind == "add_card":
        card = _adoptable_card(workshop_id, operation.get("card_id"))
        return rules.add_item(content, operation.get("section"), card.text, "card", [card.id],
                              operation.get("position"), card.language or rules.OLD_LANGUAGE,
                              _card_translation(card))
    if kind == "add_text":
        # A line typed in the room is in the language asked for, else the one the builder shows.
        return rules.add_item(content, operation.get("section"), operation.get("text"), "room",
                              (), operation.get("position"),
                              operation.get("language") or current_language())
    if kind == "translate":
        return rules.translate_item(content, operation.get("section"), operation.get("item_id"),
                                    operation.get("language"), operation.get("text"),
                                    unit.actor.user_id, iso(utcnow()))
    if kind == "remove":
        return rules.remove_item(content, operation.get("section"), operation.get("item_id"))
    if kind == "move":
        return rules.move_item(content, operation.get("section"), operation.get("item_id"),
                               operation.get("to_section", operation.get("section")),
                               operation.get("to_index"))
    if kind == "update_item":
        return rules.update_item(content, operation.get("section"), operation.get("item_id"),
                                 operation.get("changes") or {})
    if kind == "update_fields":
        return rules.update_fields(content, operation.get("changes") or {})
    raise InvalidInput(_("We do not know that change to an outline."), field="kind")


def _card_translation(card: Card) -> dict | None:
    """An idea's wording in its other language, as the line made from it carries it."""
    if not card.translation:
        return None
    language = rules.other_language(card.language or rules.OLD_LANGUAGE)
    # The idea keeps no time for its translation: the line records when it took it over.
    return rules.new_translation(language, card.translation, card.text,
                                 card.translated_by_user_id, iso(utcnow()), "card")


def _adoptable_card(workshop_id: int, card_id) -> Card:
    card = row_in_workshop(Card, workshop_id, card_id)
    if card is None:
        raise NotFound(_("We could not find that idea in this workshop."), field="card_id")
    if card.state != CardState.VISIBLE.value:
        raise Conflict(_("Only ideas that are on the screen can go into an outline."),
                       field="card_id")
    return card


def start_draft(actor: Actor, workshop_id: int, role_id, base_version) -> dict:
    """After a sign-off, start a new draft (a copy of the agreed version, which stays frozen)."""
    with unit_of_work(actor) as unit:
        workshop = workshop_for_user(actor.user_id, workshop_id, Action.RUN)[0]
        role = role_in(workshop.id, role_id)
        latest = latest_version(role.id)
        if latest is None or latest.number != base_version:
            raise Conflict(STALE, field="base_version")
        if latest.status != "agreed":
            raise Conflict(_("This outline already has a draft you can change."))
        version = _save(unit, workshop, role, content_of(latest), latest.number + 1,
                        _("New draft, starting from agreed version %(number)s",
                          number=latest.number),
                        "outline.draft_started")
        return version_view(version)


def sign_off(actor: Actor, workshop_id: int, role_id, number, note: str | None = None) -> dict:
    """Record that the room agreed this version; it is frozen from now on."""
    note = clean_line(note, limit="sign_off_note", field="note", label=_("The note"),
                      required=False)
    with unit_of_work(actor) as unit:
        workshop = workshop_for_user(actor.user_id, workshop_id, Action.RUN)[0]
        role = role_in(workshop.id, role_id)
        version = version_of(role.id, number)
        if version.status == "agreed":
            raise Conflict(_("Version %(number)s is already agreed.", number=version.number))
        if version.number != latest_version(role.id).number:
            raise Conflict(_("Only the newest version can be signed off. Please look at it "
                             "first."))
        needs = rules.sign_off_needs(content_of(version))
        if needs:
            raise Conflict(_("This outline cannot be signed off yet. %(needs)s",
                             needs=" ".join(str(SIGN_OFF_NEEDS[need]) for need in needs)))
        version.status, version.agreed_at = "agreed", utcnow()
        version.agreed_by_user_id, version.agreed_note = actor.user_id, note or None
        unit.audit("outline.signed_off", {"role_id": role.id, "version": version.number,
                                          "note": note}, workshop_id=workshop.id)
        _announce(unit, workshop, version)
        return version_view(version)


def _save(unit: Unit, workshop: Workshop, role: Role, content: dict, number: int, summary,
          action: str, extra: dict | None = None) -> OutlineVersion:
    summary = str(summary)  # kept in the language of whoever made the change
    version = OutlineVersion(workshop_id=workshop.id, role_id=role.id, number=number,
                             content=json.dumps(content, ensure_ascii=False), summary=summary[:300],
                             status="draft", saved_by_user_id=unit.actor.user_id,
                             session_number=workshop.session_number)
    unit.session.add(version)
    unit.session.flush()
    unit.audit(action, {"role_id": role.id, "version": number, "summary": summary,
                        **(extra or {})}, workshop_id=workshop.id)
    _announce(unit, workshop, version)
    return version


def _announce(unit: Unit, workshop: Workshop, version: OutlineVersion) -> None:
    """Staff builders always hear of a change; the projector too while it shows that role."""
    # Never phones: they do not show outlines, and a whole outline on every save is the kind of
    # broadcast that grows fastest (receivers x saves).
    shown = workshop.shown_role_id == version.role_id
    unit.broadcast(workshop.id, "outline.changed", version_view(version),
                   audience=Audience.PROJECTOR if shown else Audience.STAFF)


def show_on_projector(actor: Actor, workshop_id: int, role_id) -> dict:
    """Put one role's outline on the projector while the room builds it (None takes it off)."""
    with unit_of_work(actor) as unit:
        workshop = workshop_for_user(actor.user_id, workshop_id, Action.RUN)[0]
        role = role_in(workshop.id, role_id) if role_id is not None else None
        workshop.shown_role_id = role.id if role else None
        unit.audit("outline.shown", {"role_id": workshop.shown_role_id}, workshop_id=workshop.id)
        version = latest_version(role.id) if role else None
        payload = {"role_id": workshop.shown_role_id,
                   "outline": version_view(version) if version else None}
        unit.broadcast(workshop.id, "outline.shown", payload)
        return payload


def shown_outline(workshop: Workshop) -> dict | None:
    """The outline the projector shows, if any."""
    version = latest_version(workshop.shown_role_id) if workshop.shown_role_id else None
    return version_view(version) if version else None


def version_view(version: OutlineVersion) -> dict:
    """A version as the builder, the projector and the pages see it, with what a sign-off of
    it still needs (so the builder can say so before anyone tries)."""
    content = content_of(version)
    return {"role_id": version.role_id, "number": version.number, "status": version.status,
            "session_number": version.session_number, "summary": version.summary,
            "saved_at": iso(version.saved_at),
            "saved_by": display_name(version.saved_by_user_id), "agreed_at": iso(version.agreed_at),
            "agreed_by": display_name(version.agreed_by_user_id), "agreed_note": version.agreed_note,
            "content": content,
            "sign_off_needs": rules.sign_off_needs(content)}


def history(role_id: int) -> list[dict]:
    """Every version's number, status, summary, who saved it and the session that made it,
    newest first."""
    saver, agreer = aliased(User), aliased(User)
    rows = db.session.execute(  # names with the versions: one query however long the history
        select(OutlineVersion.number, OutlineVersion.status, OutlineVersion.summary,
               OutlineVersion.saved_at, saver.display_name, OutlineVersion.agreed_at,
               agreer.display_name, OutlineVersion.session_number)
        .outerjoin(saver, saver.id == OutlineVersion.saved_by_user_id)
        .outerjoin(agreer, agreer.id == OutlineVersion.agreed_by_user_id)
        .where(OutlineVersion.role_id == role_id).order_by(OutlineVersion.number.desc()))
    return [{"number": number, "status": status, "summary": summary, "saved_at": iso(saved_at),
             "saved_by": saved_by, "agreed_at": iso(agreed_at), "agreed_by": agreed_by,
             "session_number": session_number}
            for number, status, summary, saved_at, saved_by, agreed_at, agreed_by, session_number
            in rows]


def compare(workshop_id: int, role_id, first, second) -> dict:
    """How version `second` differs from version `first` of a role's outline."""
    role = role_in(workshop_id, role_id)
    before, after = version_of(role.id, first), version_of(role.id, second)
    return {"before": before.number, "after": after.number,
            **rules.diff(content_of(before), content_of(after))}


def card_statuses(workshop: Workshop) -> dict[int, dict]:
    """Each voted card's consensus status and support per group, from the newest round it was in."""
    statuses: dict[int, dict] = {}
    for vote_round in rounds_of(workshop.id):
        outcome = results(vote_round, workshop)
        for card in outcome["cards"]:
            statuses[card["card_id"]] = {"status": card["status"], "round": vote_round.number,
                                         "groups": card["groups"]}
    return statuses


def outline_roles(workshop_id: int) -> list[tuple[Role, OutlineVersion | None]]:
    """Each role being designed, with its newest outline version (None if not started)."""
    roles = list(db.session.scalars(select(Role).where(
        Role.workshop_id == workshop_id, Role.retired.is_(False)).order_by(Role.position)))
    latest = _latest_versions(workshop_id)
    return [(role, latest.get(role.id)) for role in roles]


def _latest_versions(workshop_id: int) -> dict[int, OutlineVersion]:
    """The newest version of every role's outline in a workshop, by role, in one query."""
    newest = select(OutlineVersion.role_id, func.max(OutlineVersion.number).label("number")) \
        .where(OutlineVersion.workshop_id == workshop_id).group_by(OutlineVersion.role_id).subquery()
    return {version.role_id: version for version in db.session.scalars(
        select(OutlineVersion).join(newest, (OutlineVersion.role_id == newest.c.role_id)
                                    & (OutlineVersion.number == newest.c.number)))}
