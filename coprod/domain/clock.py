"""One source of 'now', so every stored time is naive UTC with the same precision."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo (how coprod stores every time)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(moment: datetime | None) -> str | None:
    """A stored time as ISO 8601 with a trailing Z, or None."""
    return None if moment is None else moment.isoformat(timespec="microseconds") + "Z"
