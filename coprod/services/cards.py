"""Cards: adding them (from phones, or by staff), editing the wording, adding its wording in the
other language, hiding and showing."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import cards as rules
from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.clock import utcnow
from ..domain.errors import Conflict, Forbidden, NotFound
from ..domain.i18n import _
from ..domain.phases import Phase, participants_may_add_cards
from ..domain.text import clean_line
from ..extensions import db
from ..language import LANGUAGES, current_language
from ..models import Card, CardMerge, CardRevision, EvidenceItem, Participant, Role, Workshop
from .access import row_in_workshop, voter_for, workshop_for_actor
from .events import Audience
from .once import run_once
from .unit import Unit, unit_of_work

NOT_ADDING = _("We are not adding ideas just now. The facilitator will say when.")


def add_card(actor: Actor, workshop_id: int, kind, text, role_id=None, client_id=None,
             language: str | None = None) -> dict:
    """Add a responsibility or competence; a phone's resent copy is recognised by its id.

    The idea keeps the language it was typed in: `language`, else the one its author is reading
    now (their page's, or their socket's)."""
    kind = rules.parse_kind(kind)
    text = clean_line(text, limit="card_text", field="text", label=_("Your idea"))
    language = language if language in LANGUAGES else current_language()

    def perform(unit: Unit) -> dict:
        needed = Action.ENTER_FOR_PAPER if actor.kind == "helper" else Action.RUN
        workshop = workshop_for_actor(actor, workshop_id, needed)
        if actor.kind == "helper":
            voter_for(actor, workshop.id)  # only for a paper participant of this workshop
        _check_may_add(actor, workshop)
        role = role_for_card(workshop.id, role_id)
        card = Card(workshop_id=workshop.id, kind=kind.value, text=text, language=language,
                    role_id=role.id if role else None,
                    state=rules.initial_state(workshop.approve_first).value,
                    participant_id=actor.participant_id, author_user_id=_author_user(actor),
                    entered_by_user_id=actor.user_id if actor.kind == "helper" else None)
        record_new_card(unit, card, _author_user(actor))
        return {"card": card_view(card, mine=True)}

    return run_once(actor, workshop_id, client_id, "card.add", perform)


def record_new_card(unit: Unit, card: Card, author_user_id: int | None,
                    origin: dict | None = None) -> None:
    """Store a new idea with its first wording, audit it as `card.added` (with `origin`, for a
    seed idea from the evidence pack) and tell the room."""
    unit.session.add(card)
    unit.session.flush()
    unit.session.add(CardRevision(card_id=card.id, version=1, text=card.text,
                                  edited_by_user_id=author_user_id))
    unit.audit("card.added", {"card_id": card.id, "kind": card.kind, "role_id": card.role_id,
                              "text": card.text, "state": card.state, "language": card.language,
                              **(origin or {})}, workshop_id=card.workshop_id)
    announce_card(unit, card, "card.added")


def _author_user(actor: Actor) -> int | None:
    return actor.user_id if actor.kind == "user" else None


def _check_may_add(actor: Actor, workshop: Workshop) -> None:
    phase = Phase(workshop.phase)
    if phase is Phase.CLOSED:
        raise Conflict(_("This workshop has finished, so no more ideas can be added."))
    if actor.kind == "participant" and not participants_may_add_cards(phase):
        raise Conflict(NOT_ADDING)


def role_for_card(workshop_id: int, role_id) -> Role | None:
    """The role an idea is for (None for any role), if it is this workshop's and still offered."""
    if role_id in (None, "", 0):
        return None
    role = row_in_workshop(Role, workshop_id, role_id)
    if role is None or role.retired:
        raise NotFound(_("We could not find that role. Please choose another."), field="role_id")
    return role


def edit_card(actor: Actor, workshop_id: int, card_id, text) -> dict:
    """Reword a card; every earlier wording is kept as a revision."""
    text = clean_line(text, limit="card_text", field="text", label=_("The new wording"))
    with unit_of_work(actor) as unit:
        card = _card_for_staff(actor, workshop_id, card_id)
        rules.check_editable(rules.CardState(card.state))
        if text == card.text:
            return {"card": card_view(card)}
        before = card.text
        card.version += 1
        card.text, card.updated_at = text, utcnow()
        unit.session.add(CardRevision(card_id=card.id, version=card.version, text=text,
                                      edited_by_user_id=actor.user_id))
        unit.audit("card.edited", {"card_id": card.id, "version": card.version,
                                   "before": before, "after": text}, workshop_id=workshop_id)
        announce_card(unit, card, "card.changed")
        return {"card": card_view(card)}


def translate_card(actor: Actor, workshop_id: int, card_id, text) -> dict:
    """Add or change a card's wording in the other language (empty takes it away); the wording
    the author typed stays as it is."""
    text = (text or "").strip() and clean_line(text, limit="card_text", field="text",
                                               label=_("The wording in the other language"))
    with unit_of_work(actor) as unit:
        card = _card_for_staff(actor, workshop_id, card_id)
        rules.check_editable(rules.CardState(card.state))
        translation = text or None
        if translation == card.translation:
            return {"card": card_view(card)}
        card.translation, card.updated_at = translation, utcnow()
        card.translated_by_user_id = actor.user_id if translation else None
        unit.audit("card.translated", {"card_id": card.id, "language": other_language(card),
                                       "text": translation, "by_user_id": actor.user_id},
                   workshop_id=workshop_id)
        announce_card(unit, card, "card.changed")
        return {"card": card_view(card)}


def other_language(card: Card) -> str:
    """The language a card's translation is in: the one it was not typed in."""
    return next(code for code in LANGUAGES if code != card.language)


def hide_card(actor: Actor, workshop_id: int, card_id, reason) -> dict:
    """Take a card off the screen, with a reason the facilitator gives."""
    reason = clean_line(reason, limit="hide_reason", field="reason", label=_("The reason"))
    with unit_of_work(actor) as unit:
        card = _card_for_staff(actor, workshop_id, card_id)
        rules.check_hideable(rules.CardState(card.state))
        was_public = card.state == rules.CardState.VISIBLE
        card.state, card.hidden_reason = rules.CardState.HIDDEN.value, reason
        unit.audit("card.hidden", {"card_id": card.id, "reason": reason},
                   workshop_id=workshop_id)
        if was_public:
            unit.broadcast(workshop_id, "card.removed", {"id": card.id})
        _tell_staff(unit, card)
        _tell_author(unit, card)
        return {"card": card_view(card)}


def show_card(actor: Actor, workshop_id: int, card_id) -> dict:
    """Put a hidden card back on the screen, or approve a waiting one."""
    with unit_of_work(actor) as unit:
        card = _card_for_staff(actor, workshop_id, card_id)
        rules.check_showable(rules.CardState(card.state))
        action = "card.approved" if card.state == rules.CardState.PENDING else "card.shown"
        card.state, card.hidden_reason = rules.CardState.VISIBLE.value, None
        unit.audit(action, {"card_id": card.id}, workshop_id=workshop_id)
        announce_card(unit, card, "card.added")
        return {"card": card_view(card)}


def _card_for_staff(actor: Actor, workshop_id: int, card_id) -> Card:
    if actor.kind == "participant":
        raise Forbidden(_("Only the facilitator can do that."))
    workshop_for_actor(actor, workshop_id, Action.RUN)
    return card_in(workshop_id, card_id)


def card_in(workshop_id: int, card_id) -> Card:
    """A card of this workshop, or not found (never another workshop's card)."""
    card = row_in_workshop(Card, workshop_id, card_id)
    if card is None:
        raise NotFound(_("We could not find that card. It may have been removed."),
                       field="card_id")
    return card


def announce_card(unit: Unit, card: Card, name: str) -> None:
    """Tell the room about a card on the screen; tell staff (and its author) about any card."""
    if card.state == rules.CardState.VISIBLE:
        unit.broadcast(card.workshop_id, name, card_view(card))
    _tell_staff(unit, card)
    _tell_author(unit, card)


def _tell_staff(unit: Unit, card: Card) -> None:
    unit.broadcast(card.workshop_id, "card.staff", staff_card_view(card), audience=Audience.STAFF)


def _tell_author(unit: Unit, card: Card) -> None:
    if card.participant_id and card.state != rules.CardState.VISIBLE:
        unit.broadcast(card.workshop_id, "card.mine", card_view(card, mine=True),
                       audience=Audience.participant(card.participant_id))


def card_view(card: Card, mine: bool = False) -> dict:
    """A card as the room sees it: no author, so ideas are judged on their own."""
    view = {"id": card.id, "kind": card.kind, "role_id": card.role_id, "text": card.text,
            "language": card.language, "translation": card.translation,
            "version": card.version, "state": card.state, **card_origin(card)}
    if mine:
        view["mine"] = True
        if card.state == rules.CardState.HIDDEN:
            view["hidden_reason"] = card.hidden_reason
    return view


def card_origin(card: Card) -> dict:
    """Where an idea came from, for its small tag: the session it was carried from and the
    result it had there ("From session 1 · Agreed by every group"), or the evidence item it
    was seeded from ("From the evidence: ..."). None for each that does not apply."""
    return {"from_session": _from_session(card), "earlier_result": card.earlier_result,
            "evidence": _evidence_title(card)}


def _from_session(card: Card) -> int | None:
    if card.carried_from_id is None:
        return None
    # Ideas are carried from the session just before (services/carry.py); the workshop is read
    # once per request however many ideas there are (the session's identity map keeps it).
    return db.session.get(Workshop, card.workshop_id).session_number - 1


def _evidence_title(card: Card) -> str | None:
    if card.evidence_item_id is None:
        return None
    item = db.session.get(EvidenceItem, card.evidence_item_id)
    return item.title if item else None


def staff_card_view(card: Card) -> dict:
    """A card as the facilitator console sees it, with who proposed it and moderation details."""
    return _staff_view(card, active_merges(card.workshop_id, card.id).get(card.id, []))


def staff_card_views(workshop_id: int) -> list[dict]:
    """Every card of a workshop as the console sees it, read in a fixed number of queries."""
    merges = active_merges(workshop_id)
    query = _cards_query(workshop_id).options(selectinload(Card.revisions), *_AUTHOR)
    return [_staff_view(card, merges.get(card.id, [])) for card in db.session.scalars(query)]


def _staff_view(card: Card, merges: list[CardMerge]) -> dict:
    participant: Participant | None = card.participant
    # No author: the facilitator's idea, which the console names in its own language.
    return {**card_view(card), "hidden_reason": card.hidden_reason,
            "author": participant.pseudonym if participant else None,
            "author_number": participant.number if participant else None,
            "constituency": participant.constituency.name if participant else None,
            "entered_by_helper": card.entered_by_user_id is not None,
            "revisions": len(card.revisions), "merged_into": card.merged_into_id,
            "merged_from": [_merged_source(merge) for merge in merges]}


# A card's author and their group, read with the cards (one query each, not one per card).
_AUTHOR = (selectinload(Card.participant).selectinload(Participant.constituency),)


def active_merges(workshop_id: int, target_id: int | None = None) -> dict[int, list[CardMerge]]:
    """The merges still in force that folded cards into others (into `target_id` only, if
    given), by the card they went into, oldest first; their source cards come with them."""
    query = select(CardMerge).where(CardMerge.workshop_id == workshop_id,
                                    CardMerge.undone_at.is_(None))
    if target_id is not None:
        query = query.where(CardMerge.target_id == target_id)
    by_target: dict[int, list[CardMerge]] = defaultdict(list)
    sources = selectinload(CardMerge.source)
    for merge in db.session.scalars(query.order_by(CardMerge.id).options(
            sources.selectinload(Card.participant).selectinload(Participant.constituency))):
        by_target[merge.target_id].append(merge)
    return by_target


def _merged_source(merge: CardMerge) -> dict:
    source = merge.source
    author = source.participant
    return {"merge_id": merge.id, "card_id": source.id, "text": source.text,
            "constituency": author.constituency.name if author else None}


def proposers(card: Card, merges: dict[int, list[CardMerge]] | None = None) -> list[Card]:
    """The card and every card merged into it (however deep): whose ideas it carries.

    `merges` is the workshop's `active_merges`, when the caller already has them."""
    merges = active_merges(card.workshop_id) if merges is None else merges
    found = [card]
    for merge in merges.get(card.id, []):
        found.extend(proposers(merge.source, merges))
    return found


def cards_of(workshop_id: int, states: tuple[str, ...] | None = None,
             with_authors: bool = False) -> list[Card]:
    """A workshop's cards in the order they were added, optionally only some states (and with
    each card's author and group read in the same go)."""
    query = _cards_query(workshop_id, states)
    return list(db.session.scalars(query.options(*_AUTHOR) if with_authors else query))


def _cards_query(workshop_id: int, states: tuple[str, ...] | None = None):
    query = select(Card).where(Card.workshop_id == workshop_id).order_by(Card.id)
    return query.where(Card.state.in_(states)) if states else query
