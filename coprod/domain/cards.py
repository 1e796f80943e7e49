"""Cards: proposed responsibilities and competences, and how they are moderated."""

from enum import StrEnum

from .errors import Conflict, InvalidInput
from .i18n import _


class CardKind(StrEnum):
    RESPONSIBILITY = "responsibility"
    COMPETENCE = "competence"


class CardState(StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"  # waiting for the facilitator to approve it
    HIDDEN = "hidden"
    MERGED = "merged"  # folded into another card


def parse_kind(value) -> CardKind:
    """The card kind named by `value`, or a kind error."""
    try:
        return CardKind(value)
    except ValueError:
        raise InvalidInput(_("Please choose responsibility or competence."), field="kind") from None


def initial_state(approve_first: bool) -> CardState:
    """A new card waits for approval only when the workshop asks for it."""
    return CardState.PENDING if approve_first else CardState.VISIBLE


def check_editable(state: CardState) -> None:
    """Merged cards are edited through the card they were merged into."""
    if state is CardState.MERGED:
        raise Conflict(_("This card was merged into another one. Please edit that card instead."))


def check_hideable(state: CardState) -> None:
    """Only a card that is showing or waiting can be hidden."""
    if state not in (CardState.VISIBLE, CardState.PENDING):
        raise Conflict(_("This card is already off the screen."))


def check_showable(state: CardState) -> None:
    """Only a hidden or waiting card can be put on the screen."""
    if state not in (CardState.HIDDEN, CardState.PENDING):
        raise Conflict(_("This card is already on the screen."))
