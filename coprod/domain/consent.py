"""The consent notice every participant reads before joining, and the promise it makes about
how long names are kept."""

from datetime import date

from .i18n import Message, _, ngettext

# A new version whenever the wording changes: each participant keeps the version they agreed to.
# v2: v1 said the whole record was kept for a time; in fact only names are deleted then.
# v3: return codes (a project's sessions): who is linked across sessions, and only by choice.
CONSENT_VERSION = "2026-11-v3"


def consent_points(workshop_title: str, retention_months: int) -> list[Message]:
    """The notice as short sentences, shown on the join page and kept with this version.

    Each is read in the page's language; the language a person read it in is kept with them.
    """
    return [
        # Translators: the first line of the consent notice; %(title)s is the workshop's name.
        _("You are joining '%(title)s', a workshop to design new roles in health and care "
          "together.", title=workshop_title),
        _("We record the group you choose, what you add, how you vote, and when."),
        # Translators: "Participant" as in the name others see, e.g. "Participant 12".
        _("Your name is never shown on the screen or in reports. Others see you as 'Participant' "
          "and a number, with your group."),
        _("A first name or nickname is optional. Only the facilitator sees it."),
        ngettext("We delete names %(count)s month after the workshop.",
                 "We delete names %(count)s months after the workshop.", retention_months),
        _("What you add and how you vote are kept, without your name. They are the record of how "
          "the roles were agreed."),
        _("At the end of a session you may ask for a return code."),
        _("With it, next time you keep the same participant number and group, and you see your "
          "ideas from last time."),
        _("Without it, nobody links you from one session to the next."),
        ngettext("A return code does not keep your name: names are still deleted %(count)s month "
                 "after the workshop.",
                 "A return code does not keep your name: names are still deleted %(count)s months "
                 "after the workshop.", retention_months),
        _("Taking part is your choice. You can stop at any time. Ask the facilitator if you want "
          "your name removed sooner."),
    ]


def names_expire_on(held_on: date, retention_months: int) -> date:
    """The day a workshop's participant names are due to be deleted."""
    month = held_on.month - 1 + retention_months
    year, month = held_on.year + month // 12, month % 12 + 1
    for day in (held_on.day, 30, 29, 28):  # the same day of the month, or the last one
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError("no valid day")  # unreachable: every month has a 28th
