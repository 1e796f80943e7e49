"""Latest-state messages the notifier sends once per tick, however many changes caused them."""

from ..services.participants import counts_by_constituency
from . import rooms


def counts(workshop_id: int) -> list[tuple[str, dict, str]]:
    """How many people joined from each group, for the projector and the consoles."""
    payload = {"counts": counts_by_constituency(workshop_id)}
    return [("counts", payload, rooms.projector(workshop_id)),
            ("counts", payload, rooms.staff(workshop_id))]


REFRESHERS = {"counts": counts}
