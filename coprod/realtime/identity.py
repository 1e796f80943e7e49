"""Who is on the other end of a socket, settled once at connect and kept for the socket's life."""

from dataclasses import dataclass

from flask import session
from flask_login import current_user

from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.errors import Forbidden
from ..domain.i18n import _
from ..services import accounts, participants
from ..services.access import workshop_for_user
from ..sessions import participant_in_session

PHONE, PROJECTOR, CONSOLE = "phone", "projector", "console"
STAFF_VIEWS = {CONSOLE}
KEY = "coprod.live"


@dataclass(frozen=True)
class Identity:
    view: str
    workshop_id: int
    actor: Actor
    session_id: str | None = None  # "<user id>:<epoch>" for accounts

    @property
    def is_staff(self) -> bool:
        return self.view in STAFF_VIEWS


def identify(view: str, workshop_id: int) -> Identity:
    """Settle who connects: a phone by its join cookie, a console or projector by its account."""
    if view == PHONE:
        actor = participants.phone_actor(workshop_id, participant_in_session(workshop_id))
        if actor is None:
            raise Forbidden(_("Please join the workshop first."))
        return Identity(PHONE, workshop_id, actor)
    if view not in (PROJECTOR, CONSOLE):
        raise Forbidden(_("We do not know that kind of screen."))
    if not current_user.is_authenticated:
        raise Forbidden(_("Please sign in first."))
    workshop_for_user(current_user.id, workshop_id, _needed(view))
    return Identity(view, workshop_id, Actor.user(current_user.id, current_user.role),
                    current_user.get_id())


def _needed(view: str) -> Action:
    return Action.RUN if view == CONSOLE else Action.READ


def remember(identity: Identity) -> None:
    """Keep the identity with this socket (Flask-SocketIO keeps a session per socket)."""
    session[KEY] = identity


def current() -> Identity:
    """The identity settled at connect; accounts are re-checked, so a sign-out or an unsharing
    takes effect even for an event sent just before the socket was closed."""
    identity = session.get(KEY)
    if identity is None:
        raise Forbidden(_("Please reload the page to reconnect."))
    if identity.session_id:
        if accounts.load_session_user(identity.session_id) is None:
            raise Forbidden(accounts.SIGNED_OUT)
        workshop_for_user(identity.actor.user_id, identity.workshop_id, _needed(identity.view))
    return identity


def require_staff(identity: Identity) -> None:
    """Only a facilitator console may send this event."""
    if not identity.is_staff:
        raise Forbidden(_("Only the facilitator can do that."))

