"""What each live view needs on (re)connect: the whole current state, as plain dicts."""

from sqlalchemy import select

from ..domain.cards import CardState
from ..domain.clock import iso, utcnow
from ..domain.joincode import display_join_code
from ..domain.phases import LABELS, ORDER, Phase
from ..extensions import db
from ..models import Card, Participant, Workshop
from . import accounts, outlines, participants, voting, workshops
from .cards import card_view, cards_of, staff_card_views
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


def phone_state(workshop: Workshop, participant: Participant) -> dict:
    """A phone's view: the cards on the screen, its own cards, and who it is."""
    cards = [_phone_card(card, participant.id) for card in cards_of(workshop.id)
             if card.state == CardState.VISIBLE or card.participant_id == participant.id]
    vote_round = voting.latest_round(workshop.id)
    revealed = vote_round is not None and vote_round.revealed_at is not None
    return {**_common(workshop),
            "cards": [card for card in cards if card],
            "me": {"pseudonym": participant.pseudonym, "constituency":
                   participant.constituency.name, "nickname": participant.nickname},
            "round": voting.round_view(vote_round) if vote_round else None,
            "my_votes": _my_votes(vote_round, participant.id),
            "results": (voting.results_for_phones(voting.results(vote_round, workshop))
                        if revealed else None)}


def phone_own_state(workshop_id: int, participant_id: int) -> dict:
    """What only this person's phones are told: their own cards and their votes in the newest
    round. Personal events carry no sequence number, so a phone cannot tell it missed one (a vote
    from their other tab, say) and gets these on every reconnect: a few rows of one person."""
    own = db.session.scalars(select(Card).where(
        Card.workshop_id == workshop_id, Card.participant_id == participant_id,
        Card.state != CardState.MERGED.value).order_by(Card.id))
    return {"cards": [card_view(card, mine=True) for card in own],
            "my_votes": _my_votes(voting.latest_round(workshop_id), participant_id)}


def _my_votes(vote_round, participant_id: int) -> dict | None:
    return voting.my_votes(vote_round, participant_id) if vote_round else None


def _phone_card(card: Card, participant_id: int) -> dict | None:
    if card.state == CardState.MERGED:
        return None
    return card_view(card, mine=card.participant_id == participant_id)


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
