"""The wall's pages: the facilitator holds them, lets them turn again, or turns one by hand."""

from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.errors import InvalidInput
from ..domain.i18n import _
from .access import workshop_for_user
from .events import Audience
from .unit import unit_of_work

# What the console may ask of the wall's pages (the projector keeps which page it is on).
PAGE_ACTIONS = ("hold", "play", "next", "previous")


def page_wall(actor: Actor, workshop_id: int, action) -> dict:
    """Hold, resume or turn the projector's pages; audited, and sent to the projector."""
    if action not in PAGE_ACTIONS:
        raise InvalidInput(_("Please choose hold, play, next or previous."), field="action")
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        unit.audit("wall.paged", {"action": action}, workshop_id=workshop.id)
        # Not a room-wide event: phones never page, and a projector that reloads starts playing.
        unit.broadcast(workshop.id, "wall.page", {"action": action}, audience=Audience.PROJECTOR)
        return {"wall": {"action": action}}
