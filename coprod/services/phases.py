"""Moving a workshop through its phases; every phone and the projector follow."""

from datetime import timedelta

from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.clock import utcnow
from ..domain.errors import Conflict, InvalidInput
from ..domain.i18n import _
from ..domain.phases import Phase, check_move
from .access import workshop_for_user
from .live import countdown_view, workshop_view
from .unit import unit_of_work
from .voting import open_round_of


def set_phase(actor: Actor, workshop_id: int, target) -> dict:
    """Move one step forward or back; the move is audited and sent to every screen."""
    try:
        target = Phase(target)
    except ValueError:
        raise InvalidInput(_("We do not know that phase."), field="phase") from None
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        current = Phase(workshop.phase)
        check_move(current, target)
        if current is Phase.VOTE and open_round_of(workshop.id):
            raise Conflict(_("Please close the vote before moving on, so every vote is counted."))
        workshop.phase = target.value
        workshop.closed_at = utcnow() if target is Phase.CLOSED else None
        workshop.countdown_ends_at = None
        unit.audit("phase.changed", {"from": current.value, "to": target.value},
                   workshop_id=workshop.id)
        view = workshop_view(workshop)
        unit.broadcast(workshop.id, "phase.changed", {"workshop": view})
        return {"workshop": view}


MAX_COUNTDOWN_MINUTES = 120


def set_countdown(actor: Actor, workshop_id: int, minutes) -> dict:
    """Start a countdown for the current phase (0 clears it); screens show the time left."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or \
            not 0 <= minutes <= MAX_COUNTDOWN_MINUTES:
        raise InvalidInput(_("Please choose between 0 and %(most)s minutes.",
                             most=MAX_COUNTDOWN_MINUTES), field="minutes")
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        workshop.countdown_ends_at = utcnow() + timedelta(minutes=minutes) if minutes else None
        unit.audit("countdown.set", {"minutes": minutes, "phase": workshop.phase},
                   workshop_id=workshop.id)
        countdown = countdown_view(workshop)
        unit.broadcast(workshop.id, "countdown.set", countdown)
        return countdown

