"""The consent notice every participant reads before joining, and the promise it makes about
how long names are kept."""

from datetime import date

# A new version whenever the wording changes: each participant keeps the version they agreed to.
# v2: v1 said the whole record was kept for a time; in fact only names are deleted then.
CONSENT_VERSION = "2026-11-v2"


def consent_points(workshop_title: str, retention_months: int) -> list[str]:
    """The notice as short sentences, shown on the join page and kept with this version."""
    months = f"{retention_months} month{'s' if retention_months != 1 else ''}"
    return [
        f"You are joining '{workshop_title}', a workshop to design new roles in health and care "
        "together.",
        "We record the group you choose, what you add, how you vote, and when.",
        "Your name is never shown on the screen or in reports. Others see you as "
        "'Participant' and a number, with your group.",
        "A first name or nickname is optional. Only the facilitator sees it.",
        f"We delete names {months} after the workshop.",
        "What you add and how you vote are kept, without your name. They are the record of how "
        "the roles were agreed.",
        "Taking part is your choice. You can stop at any time. Ask the facilitator if you want "
        "your name removed sooner.",
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
