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


@dataclass(frozen=True)
class AccessEnded:
    """Someone's access ended: their open screens are told why, then closed, on every worker."""

    whose: str  # "user" (every screen of an account), "member" (its screens of one workshop)
    ids: tuple[int, ...]  # or "participant"; (user id), (workshop id, user id), (participant id)
    # Why, as a key of services/live.py's ENDED_REASONS: each screen says the sentence in its
    # own language (one notice can reach screens in Welsh and in English).
    reason: str
    notice: str = "access_ended"  # the socket event: "signed_out" asks them to sign in again

    @staticmethod
    def account(user_id: int, reason: str, notice: str = "access_ended") -> "AccessEnded":
        """Every screen an account has open, in every workshop."""
        return AccessEnded("user", (user_id,), reason, notice)

    @staticmethod
    def membership(workshop_id: int, user_id: int, reason: str) -> "AccessEnded":
        """An account's consoles and projectors of one workshop."""
        return AccessEnded("member", (workshop_id, user_id), reason)

    @staticmethod
    def participant(participant_id: int, reason: str) -> "AccessEnded":
        """Every open tab of one participant."""
        return AccessEnded("participant", (participant_id,), reason)
