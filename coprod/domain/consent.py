"""The consent notice every participant reads before joining, in plain words."""

CONSENT_VERSION = "2026-11-v1"


def consent_points(workshop_title: str, retention_months: int) -> list[str]:
    """The notice as short sentences, shown on the join page and kept with this version."""
    return [
        f"You are joining '{workshop_title}', a workshop to design new roles in health and care "
        "together.",
        "We record the group you choose, what you add, how you vote, and when.",
        "Your name is never shown on the screen or in reports. Others see you as "
        "'Participant' and a number, with your group.",
        "A first name or nickname is optional. Only the facilitator sees it.",
        f"We keep this record for {retention_months} months after the workshop, to show how the "
        "roles were agreed. Then names are deleted.",
        "Taking part is your choice. You can stop at any time. Ask the facilitator if you want "
        "your name removed.",
    ]
