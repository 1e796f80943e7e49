"""What a browser's signed session cookie says about who it joined a workshop as.

The join pages write it and live sockets read it when they connect, so it lives here, outside
both transports, and neither reaches into the other.
"""

from flask import session

# Where the cookie keeps the participant id for one workshop (kept as it was: cookies already
# handed out must still work).
_PREFIX = "participant:"


def _key(workshop_id: int) -> str:
    return f"{_PREFIX}{workshop_id}"


def remember_participant(workshop_id: int, participant_id: int) -> None:
    """Keep who this browser joined as, beyond this visit (a phone may be locked and reopened)."""
    session.permanent = True
    session[_key(workshop_id)] = participant_id


def participant_in_session(workshop_id: int) -> int | None:
    """The participant id this browser joined the workshop as, if it joined."""
    return session.get(_key(workshop_id))


def forget_participants(participant_ids: list[int]) -> None:
    """Forget that this browser joined as any of these participants (at sign-out, the
    facilitator's "Vote too" link goes, so the next person at the laptop cannot vote as them)."""
    ids = set(participant_ids)
    for key in [key for key in session if key.startswith(_PREFIX)]:
        if session[key] in ids:
            del session[key]
