"""What each live view needs on (re)connect: the whole current state, as plain dicts."""

from ..domain.cards import CardState
from ..domain.joincode import display_join_code
from ..domain.phases import LABELS, ORDER, PHONE_MESSAGES, Phase
from ..models import Card, Participant, Workshop
from .cards import card_view, cards_of, staff_card_view
from .participants import counts_by_constituency, participant_view, participants_of
from .workshops import role_view


def workshop_view(workshop: Workshop) -> dict:
    """The workshop as every live view sees it."""
    phase = Phase(workshop.phase)
    return {"id": workshop.id, "title": workshop.title, "held_on": workshop.held_on.isoformat(),
            "venue": workshop.venue, "phase": phase.value, "phase_label": LABELS[phase],
            "phone_message": PHONE_MESSAGES[phase]}


def _roles(workshop: Workshop) -> list[dict]:
    return [role_view(role) for role in workshop.roles if not role.retired]


def _groups(workshop: Workshop) -> list[dict]:
    return [{"id": group.id, "name": group.name} for group in workshop.constituencies
            if not group.retired]


def _common(workshop: Workshop) -> dict:
    return {"seq": workshop.broadcast_seq, "workshop": workshop_view(workshop),
            "roles": _roles(workshop), "phases": [
                {"value": phase.value, "label": LABELS[phase]} for phase in ORDER]}


def phone_state(workshop: Workshop, participant: Participant) -> dict:
    """A phone's view: the cards on the screen, its own cards, and who it is."""
    cards = [_phone_card(card, participant.id) for card in cards_of(workshop.id)
             if card.state == CardState.VISIBLE or card.participant_id == participant.id]
    return {**_common(workshop), "cards": [card for card in cards if card],
            "me": {"pseudonym": participant.pseudonym, "constituency":
                   participant.constituency.name, "nickname": participant.nickname}}


def _phone_card(card: Card, participant_id: int) -> dict | None:
    if card.state == CardState.MERGED:
        return None
    return card_view(card, mine=card.participant_id == participant_id)


def projector_state(workshop: Workshop) -> dict:
    """The wall's view: join code, visible cards and how many joined from each group."""
    return {**_common(workshop), "join_code": display_join_code(workshop.join_code),
            "cards": [card_view(card) for card in cards_of(workshop.id, (CardState.VISIBLE,))],
            "counts": counts_by_constituency(workshop.id)}


def console_state(workshop: Workshop) -> dict:
    """The facilitator's view: every card with its author and state, and every participant."""
    return {**projector_state(workshop), "constituencies": _groups(workshop),
            "cards": [staff_card_view(card) for card in cards_of(workshop.id)],
            "participants": [participant_view(person) for person in participants_of(workshop.id)]}
