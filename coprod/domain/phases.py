"""The phases a workshop moves through, driven by the facilitator."""

from enum import StrEnum

from .errors import Conflict
from .i18n import _


class Phase(StrEnum):
    LOBBY = "lobby"
    CONTRIBUTE = "contribute"
    REVIEW = "review"
    VOTE = "vote"
    RESULTS = "results"
    BUILD = "build"
    CLOSED = "closed"


ORDER = tuple(Phase)

LABELS = {
    Phase.LOBBY: _("Welcome"),
    Phase.CONTRIBUTE: _("Add ideas"),
    Phase.REVIEW: _("Review"),
    Phase.VOTE: _("Vote"),
    Phase.RESULTS: _("Results"),
    Phase.BUILD: _("Build role outlines"),
    Phase.CLOSED: _("Closed"),
}

# What a phone shows in each phase, in words for people who may be anxious or unwell. Screens
# get these with the page (coprod/web/words/live.py), never in a broadcast: one broadcast
# reaches phones in Welsh and in English.
PHONE_MESSAGES = {
    Phase.LOBBY: _("Thank you for joining. We will start soon."),
    Phase.CONTRIBUTE: _("Add what you think the role should do, or needs to know."),
    Phase.REVIEW: _("The facilitator is tidying up the ideas. Have a look while you wait."),
    # Until a vote opens; the phone swaps in VOTE_MESSAGES once one is open or has closed.
    Phase.VOTE: _("The vote will open soon. Please wait."),
    Phase.RESULTS: _("Look up at the screen to see what the room thinks."),
    Phase.BUILD: _("The group is turning the ideas into role outlines. Watch the screen."),
    Phase.CLOSED: _("This workshop has finished. Thank you for taking part."),
}

# What a phone shows in the vote phase once a vote is open or has closed, by the newest vote's
# state. The facilitator opens and closes a vote without a phase change, so the phone picks the
# sentence itself as the round's events arrive (phone.js `phoneMessage`).
VOTE_MESSAGES = {
    "open": _("Time to vote. Your answers are saved as you go, and you can change them."),
    "closed": _("Voting has closed. Thank you."),
}


def neighbours(phase: Phase) -> tuple[Phase | None, Phase | None]:
    """The phases before and after `phase` (None at either end)."""
    index = ORDER.index(phase)
    before = ORDER[index - 1] if index > 0 else None
    after = ORDER[index + 1] if index + 1 < len(ORDER) else None
    return before, after


def check_move(current: Phase, target: Phase) -> None:
    """Allow one step forward or one step back; anything else is a mistake."""
    if target not in neighbours(current):
        raise Conflict(_("The workshop can move from %(phase)s only to the phase just before or "
                         "after.", phase=LABELS[current]))


def participants_may_add_cards(phase: Phase) -> bool:
    """Participants add cards only while the room is collecting ideas."""
    return phase is Phase.CONTRIBUTE


def may_join(phase: Phase) -> bool:
    """Anyone with the code may join until the workshop is closed."""
    return phase is not Phase.CLOSED
