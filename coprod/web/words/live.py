"""The words of the live page's script (see coprod/web/words/__init__.py).

Every live page (phone, console, projector, builder) gets these: the connection's state, the
phases and what a phone says in each, why a screen was closed, and the countdown. Broadcasts
carry only keys (a phase, a vote's state, why access ended); the words come from here, in the
language of each screen.
"""

from ...domain.i18n import Message, _, ngettext  # noqa: F401  (ngettext: wordings that depend on a number)
from ...domain.phases import LABELS, PHONE_MESSAGES, VOTE_MESSAGES
from ...services.live import ENDED_REASONS

WORDS = {
    "connected": _("Connected"),
    "couldNotConnect": _("We could not connect. Please reload the page."),
    "connecting": _("Connecting… Your work is kept and will be sent when the connection is back."),
    "notConnected": _("We are not connected just now. Please try again in a moment."),
    "noAnswer": _("The server did not answer. Please try again."),
    # Translators: the time left in a phase's countdown, e.g. "4:59 left".
    "timeLeft": _("%(time)s left"),
    "timeUp": _("Time is up"),
    # Translators: a group's support in results when too few of its people voted to count.
    "tooFewVotes": _("too few votes"),
    "ended": _("This screen has been closed. Please reload the page or sign in again."),
    # Where an idea came from, in a small tag under it: an earlier session of the project (and
    # its result there, e.g. "Agreed by every group"), or the project's evidence pack.
    "fromSession": _("From session %(number)s"),
    # Translators: %(result)s is the idea's result in that session, e.g. "Agreed by every group".
    "fromSessionResult": _("From session %(number)s · %(result)s"),
    # Translators: a seed idea the facilitator took from the evidence pack; %(title)s is the item.
    "fromEvidence": _("From the evidence: %(title)s"),
    **{f"phase_{phase.value}": label for phase, label in LABELS.items()},
    **{f"phone_{phase.value}": message for phase, message in PHONE_MESSAGES.items()},
    **{f"vote_{state}": message for state, message in VOTE_MESSAGES.items()},
    **{f"ended_{reason}": sentence for reason, sentence in ENDED_REASONS.items()},
}
