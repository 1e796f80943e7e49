"""What each live view needs on (re)connect: the whole current state, as plain dicts."""

from sqlalchemy import bindparam, select

from ..domain.cards import CardState
from ..domain.clock import iso, utcnow
from ..domain.errors import Forbidden, NotFound
from ..domain.joincode import display_join_code
from ..domain.phases import LABELS, ORDER, Phase
from ..extensions import db
from ..models import Card, Constituency, Participant, Workshop
from ..models.participant import pseudonym
from . import accounts, outlines, participants, voting, workshops
from .access import NOT_FOUND, REMOVED
from .cards import card_view, cards_of, staff_card_views
from .fast_path import Statement, room_cached
from .participants import counts_by_constituency, join_pace, participant_view, participants_of
from .workshops import role_view


def countdown_view(workshop: Workshop) -> dict:
    """When the phase countdown ends (or None), with the server's clock so screens can align."""
    return {"ends_at": iso(workshop.countdown_ends_at), "server_now": iso(utcnow())}


def workshop_view(workshop: Workshop) -> dict:
    """The workshop as every live view sees it.

    Words only as keys (the phase): it is broadcast, and one broadcast reaches screens in Welsh
    and in English, so each page brings its own words for the phase (coprod/web/words/live.py).
    """
    return {"id": workshop.id, "title": workshop.title, "held_on": workshop.held_on.isoformat(),
            "venue": workshop.venue, "phase": Phase(workshop.phase).value,
            "bilingual_wall": workshop.bilingual_wall}


# Why a screen was closed, by the key AccessEnded (services/events.py) carries and the screen is
# sent: the screen says the sentence in its own language (coprod/web/words/live.py, live.js
# `end`). A key not here ("ended") gets the page's general sentence.
ENDED_REASONS = {
    "signed_out": accounts.SIGNED_OUT,
    "signed_out_voting": accounts.SIGNED_OUT_VOTING,
    "password_changed": accounts.PASSWORD_CHANGED,
    "switched_off": accounts.SWITCHED_OFF,
    "unshared": workshops.UNSHARED,
    "removed": participants.REMOVED,
}


def _roles(workshop: Workshop) -> list[dict]:
    return [role_view(role) for role in workshop.roles if not role.retired]


def _groups(workshop: Workshop) -> list[dict]:
    return [{"id": group.id, "name": group.name} for group in workshop.constituencies
            if not group.retired]


def _common(workshop: Workshop) -> dict:
    return {"seq": workshop.broadcast_seq, "workshop": workshop_view(workshop),
            "roles": _roles(workshop), "countdown": countdown_view(workshop),
            "phases": [{"value": phase.value, "label": LABELS[phase]} for phase in ORDER]}


def _voting(workshop: Workshop, staff: bool = False) -> dict:
    """The newest round, and its results when this view may see them."""
    vote_round = voting.latest_round(workshop.id)
    if vote_round is None:
        return {"round": None, "results": None, "progress": None}
    visible = staff or vote_round.revealed_at is not None or not vote_round.hide_until_reveal
    return {"round": voting.round_view(vote_round),
            "results": voting.results(vote_round, workshop) if visible else None,
            "progress": voting.progress(vote_round)}


def phone_sync(workshop_id: int, participant_id: int, last_seq: int | None = None) -> dict:
    """A phone's answer to `sync`: only its own part when it missed no room event, else the
    room's state with its own part (`phone_state`)."""
    seq, me = _phone_facts(workshop_id, participant_id)
    if last_seq == seq:
        return {"seq": seq, "up_to_date": True,
                "mine": phone_own_state(workshop_id, participant_id)}
    return {"state": _phone_state_at(workshop_id, seq, participant_id, me)}


def phone_state(workshop: Workshop, participant: Participant) -> dict:
    """A phone's view: the cards on the screen, its own cards, and who it is."""
    return phone_sync(workshop.id, participant.id)["state"]


_participant, _workshop, _group = (Participant.__table__, Workshop.__table__,
                                   Constituency.__table__)
# The room's broadcast number and who the phone is, in one statement: every phone asks on
# (re)connect, a thousand in a join storm.
_PHONE_FACTS = Statement(
    select(_workshop.c.broadcast_seq, _participant.c.removed_at, _participant.c.number,
           _participant.c.nickname, _group.c.name)
    .join_from(_participant, _workshop, _workshop.c.id == _participant.c.workshop_id)
    .join(_group, _group.c.id == _participant.c.constituency_id)
    .where(_participant.c.id == bindparam("participant_id"),
           _participant.c.workshop_id == bindparam("workshop_id")))


def _phone_facts(workshop_id: int, participant_id: int) -> tuple[int, dict]:
    row = _PHONE_FACTS.run(db.session.connection(), {"participant_id": participant_id,
                                                     "workshop_id": workshop_id}).fetchone()
    if row is None:
        raise NotFound(NOT_FOUND)
    seq, removed_at, number, nickname, group = row
    if removed_at is not None:
        raise Forbidden(REMOVED)
    return seq, {"pseudonym": pseudonym(number), "constituency": group,
                 "nickname": nickname}


def _phone_state_at(workshop_id: int, seq: int, participant_id: int, me: dict) -> dict:
    # What every phone is shown alike is built once per change of the room; each phone adds
    # only its own ideas (some not on the screen yet) and its votes.
    room = room_cached("phone", workshop_id, seq, lambda: _phones_room(workshop_id))
    own = {card["id"]: card for card in _own_cards(workshop_id, participant_id)}
    cards = sorted([*own.values(), *(card for card in room["cards"] if card["id"] not in own)],
                   key=lambda card: card["id"])
    shown_round = room["round"]
    return {**room, "countdown": {**room["countdown"], "server_now": iso(utcnow())},
            "cards": cards, "me": me,
            "my_votes": voting.my_votes(shown_round, participant_id) if shown_round else None}


def _phones_room(workshop_id: int) -> dict:
    workshop = db.session.get(Workshop, workshop_id)
    vote_round = voting.latest_round(workshop_id)
    revealed = vote_round is not None and vote_round.revealed_at is not None
    return {**_common(workshop),
            "cards": [card_view(card) for card in cards_of(workshop_id, (CardState.VISIBLE,))],
            "round": voting.round_view(vote_round) if vote_round else None,
            "results": (voting.results_for_phones(voting.results(vote_round, workshop))
                        if revealed else None)}


def _own_cards(workshop_id: int, participant_id: int) -> list[dict]:
    own = db.session.scalars(select(Card).where(
        Card.workshop_id == workshop_id, Card.participant_id == participant_id,
        Card.state != CardState.MERGED.value).order_by(Card.id))
    return [card_view(card, mine=True) for card in own]


def phone_own_state(workshop_id: int, participant_id: int) -> dict:
    """What only this person's phones are told: their own cards and their votes in the newest
    round. Personal events carry no sequence number, so a phone cannot tell it missed one (a vote
    from their other tab, say) and gets these on every reconnect: a few rows of one person."""
    vote_round = voting.latest_round(workshop_id)
    return {"cards": _own_cards(workshop_id, participant_id),
            "my_votes": voting.my_votes(vote_round, participant_id) if vote_round else None}


def _wall(workshop: Workshop) -> dict:
    """What the projector shows and the console shows too: join code, outline, who joined."""
    return {**_common(workshop), "outline": outlines.shown_outline(workshop),
            "join_code": display_join_code(workshop.join_code),
            "counts": counts_by_constituency(workshop.id)}


def joining_view(workshop: Workshop) -> dict:
    """How the room is joining, as every console shows it (computed here, so consoles agree)."""
    pace = join_pace(workshop)
    return {"locked": workshop.joining_locked, "total": pace.total,
            "expected_size": pace.expected_size, "last_minute": pace.last_minute,
            "busiest_minute": pace.busiest_minute, "recent": [list(pair) for pair in pace.recent],
            "warnings": pace.warnings, "server_now": iso(utcnow())}


def room_view(workshop: Workshop) -> dict:
    """What the projector's join panel needs: only whether the room takes new people."""
    return {"locked": workshop.joining_locked}


def projector_state(workshop: Workshop) -> dict:
    """The wall's view: join code, visible cards and how many joined from each group."""
    return {**_wall(workshop), **_voting(workshop), "joining": room_view(workshop),
            "cards": [card_view(card) for card in cards_of(workshop.id, (CardState.VISIBLE,))]}


def console_state(workshop: Workshop) -> dict:
    """The facilitator's view: every card with its author and state, and every participant."""
    return {**_wall(workshop), **_voting(workshop, staff=True),
            "constituencies": _groups(workshop),
            "cards": staff_card_views(workshop.id),
            "participants": [participant_view(person) for person in participants_of(workshop.id)],
            "joining": joining_view(workshop),
            "settings": {"approve_first": workshop.approve_first,
                         **voting.results_rule(workshop)}}


def builder_state(workshop_id: int) -> dict:
    """What the outline builder offers: the ideas on the screen, with how the room voted."""
    workshop = db.session.get(Workshop, workshop_id)
    statuses = outlines.card_statuses(workshop)
    return {"shown_role_id": workshop.shown_role_id,
            "cards": [{**card_view(card), "consensus": statuses.get(card.id, {}).get("status"),
                       "support": statuses.get(card.id, {}).get("groups", [])}
                      for card in cards_of(workshop.id, (CardState.VISIBLE,))]}
