"""Moving a workshop through its phases; every phone and the projector follow."""

from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.clock import utcnow
from ..domain.errors import InvalidInput
from ..domain.phases import Phase, check_move
from .access import workshop_for_user
from .live import workshop_view
from .unit import unit_of_work


def set_phase(actor: Actor, workshop_id: int, target) -> dict:
    """Move one step forward or back; the move is audited and sent to every screen."""
    try:
        target = Phase(target)
    except ValueError:
        raise InvalidInput("We do not know that phase.", field="phase") from None
    with unit_of_work(actor) as unit:
        workshop, _ = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        current = Phase(workshop.phase)
        check_move(current, target)
        workshop.phase = target.value
        workshop.closed_at = utcnow() if target is Phase.CLOSED else None
        unit.audit("phase.changed", {"from": current.value, "to": target.value},
                   workshop_id=workshop.id)
        view = workshop_view(workshop)
        unit.broadcast(workshop.id, "phase.changed", {"workshop": view})
        return {"workshop": view}
