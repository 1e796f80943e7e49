"""What a committed change tells live clients. Plain data: the notifier decides the rooms."""

from dataclasses import dataclass


class Audience:
    EVERYONE = "everyone"  # phones, projector and staff consoles of the workshop
    STAFF = "staff"  # facilitator consoles only (pending cards, names)
    PROJECTOR = "projector"  # projector and staff consoles

    @staticmethod
    def participant(participant_id: int) -> str:
        """Every open tab of one participant."""
        return f"participant:{participant_id}"


@dataclass(frozen=True)
class Event:
    """One message for one audience of one workshop."""

    workshop_id: int
    name: str
    payload: dict
    audience: str
    seq: int | None = None  # set on EVERYONE events: the workshop's broadcast sequence number
    # A lighter copy for phones, when they need less than the projector (sent on a weak signal).
    phone_payload: dict | None = None


@dataclass(frozen=True)
class Refresh:
    """Something live changed (counts, tallies): the notifier sends the latest state, coalesced."""

    workshop_id: int
    what: str  # "counts" or "tally"
