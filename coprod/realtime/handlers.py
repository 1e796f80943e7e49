"""Socket.IO handlers: parse the payload, identify the sender, call a service, answer with an ack.

Every handler answers {"ok": true, ...} or {"ok": false, "error": {"code", "message", "field"}};
the ack is sent only after the service committed. Broadcasts go through the notifier.
"""

import functools
import logging

from flask_babel import refresh as read_language_again
from flask_socketio import ConnectionRefusedError, join_room
from socketio.pubsub_manager import PubSubManager

from ..domain.errors import DomainError
from ..domain.i18n import _, read_all
from ..extensions import db
from ..models import Workshop
from ..services import cards, live, merges, outlines, participants, phases, voting, wall, workshops
from . import identity as who
from . import rooms
from .payloads import parse
from .server import socketio
from .sessions import close_on_notice

log = logging.getLogger(__name__)
SERVER_ERROR = {"code": "server_error",
                "message": _("Something went wrong on our side. Please try again in a moment.")}
UNKNOWN_EVENT = {"code": "unknown_event",
                 "message": _("We did not understand that request. Please reload the page and "
                              "try again.")}


def on(event: str, *, staff_only: bool = False):
    """Register a handler that gets (sender identity, checked payload) and returns its ack."""
    def decorate(handler):
        @socketio.on(event)
        @functools.wraps(handler)
        def wrapper(payload=None):
            read_language_again()  # this socket's own language, never one cached before it
            try:
                sender = who.current()
                if staff_only:
                    who.require_staff(sender)
                return read_all({"ok": True, **(handler(sender, parse(event, payload)) or {})})
            except DomainError as error:
                return {"ok": False, "error": error.as_dict()}
            except Exception:
                log.exception("socket event %s failed", event)
                db.session.rollback()
                return {"ok": False, "error": read_all(SERVER_ERROR)}
        return wrapper
    return decorate


@socketio.on("*")
def unknown_event(event, *_payload):
    """Answer an event coprod has no handler for (an old page after an update, a typo), so the
    client hears why instead of waiting for an answer that never comes."""
    log.warning("unknown socket event %r", str(event)[:80])
    read_language_again()
    return {"ok": False, "error": read_all(UNKNOWN_EVENT)}


@socketio.on("connect")
def connect(auth=None):
    read_language_again()
    try:
        request = parse("connect", auth)
        sender = who.identify(request["view"], request["workshop"])
    except DomainError as error:
        raise ConnectionRefusedError(error.as_dict()) from None
    who.remember(sender)
    if isinstance(socketio.server.manager, PubSubManager):
        close_on_notice(socketio.server.manager)  # this worker now holds a socket to close
    for room in _rooms_for(sender):
        join_room(room)


def _rooms_for(sender: who.Identity) -> list[str]:
    workshop = sender.workshop_id
    if sender.view == who.PHONE:
        return [rooms.phones(workshop), rooms.participant(sender.actor.participant_id)]
    # An account's screens also join its own rooms, by which they are closed when access ends.
    own = [rooms.user(sender.actor.user_id), rooms.member(workshop, sender.actor.user_id)]
    if sender.view == who.CONSOLE:
        return [rooms.staff(workshop), *own]
    return [rooms.projector(workshop), *own]


@on("sync")
def sync(sender: who.Identity, request: dict):
    """Send the current state; a phone that missed no room event gets only its own state."""
    if sender.view == who.PHONE:
        return live.phone_sync(sender.workshop_id, sender.actor.participant_id,
                               request.get("last_seq"))
    workshop = db.session.get(Workshop, sender.workshop_id)
    if sender.view == who.CONSOLE:
        return {"state": live.console_state(workshop)}
    return {"state": live.projector_state(workshop)}


@on("card:add")
def add_card(sender: who.Identity, request: dict):
    return cards.add_card(sender.actor, sender.workshop_id, request["kind"], request["text"],
                          request.get("role_id"), client_id=request["cid"])


@on("card:edit", staff_only=True)
def edit_card(sender: who.Identity, request: dict):
    return cards.edit_card(sender.actor, sender.workshop_id, request["card_id"],
                           request["text"])


@on("card:translate", staff_only=True)
def translate_card(sender: who.Identity, request: dict):
    """Add or change an idea's wording in the other language (empty takes it away)."""
    return cards.translate_card(sender.actor, sender.workshop_id, request["card_id"],
                                request["text"])


@on("card:hide", staff_only=True)
def hide_card(sender: who.Identity, request: dict):
    return cards.hide_card(sender.actor, sender.workshop_id, request["card_id"],
                           request["reason"])


@on("card:show", staff_only=True)
def show_card(sender: who.Identity, request: dict):
    return cards.show_card(sender.actor, sender.workshop_id, request["card_id"])


@on("participant:forget", staff_only=True)
def forget_name(sender: who.Identity, request: dict):
    return participants.forget_name(sender.actor, sender.workshop_id, request["participant_id"])


@on("participant:remove", staff_only=True)
def remove_participant(sender: who.Identity, request: dict):
    return participants.remove(sender.actor, sender.workshop_id, request["participant_id"])


@on("room:lock", staff_only=True)
def lock_room(sender: who.Identity, request: dict):
    """Lock the room to new people, or open it again."""
    return workshops.set_joining_locked(sender.actor, sender.workshop_id, request["locked"])


@on("phase:set", staff_only=True)
def set_phase(sender: who.Identity, request: dict):
    return phases.set_phase(sender.actor, sender.workshop_id, request["phase"])


@on("countdown:set", staff_only=True)
def set_countdown(sender: who.Identity, request: dict):
    return {"countdown": phases.set_countdown(sender.actor, sender.workshop_id,
                                              request["minutes"])}


@on("wall:page", staff_only=True)
def page_wall(sender: who.Identity, request: dict):
    return wall.page_wall(sender.actor, sender.workshop_id, request["action"])


@on("card:merge", staff_only=True)
def merge_cards(sender: who.Identity, request: dict):
    return merges.merge_cards(sender.actor, sender.workshop_id, request["source_id"],
                              request["target_id"])


@on("merge:undo", staff_only=True)
def undo_merge(sender: who.Identity, request: dict):
    return merges.undo_merge(sender.actor, sender.workshop_id, request["merge_id"])


@on("round:open", staff_only=True)
def open_round(sender: who.Identity, request: dict):
    return voting.open_round(sender.actor, sender.workshop_id, request["mode"],
                             request.get("budget"), request.get("max_per_card"),
                             request.get("hide_until_reveal", True), request.get("role_id"))


@on("round:close", staff_only=True)
def close_round(sender: who.Identity, request: dict):
    return voting.close_round(sender.actor, sender.workshop_id, request["round_id"])


@on("round:reveal", staff_only=True)
def reveal(sender: who.Identity, request: dict):
    return voting.reveal(sender.actor, sender.workshop_id, request["round_id"])


@on("vote:set")
def cast_vote(sender: who.Identity, request: dict):
    return voting.cast_vote(sender.actor, sender.workshop_id, request["round_id"],
                            request["card_id"], request["value"], client_id=request["cid"])


@on("outline:open", staff_only=True)
def open_outline(sender: who.Identity, request: dict):
    """The builder's view of one role: its newest version (made from the template if new)."""
    outline = outlines.ensure_outline(sender.actor, sender.workshop_id, request["role_id"])
    return {"outline": outline, "history": outlines.history(request["role_id"]),
            "builder": live.builder_state(sender.workshop_id)}


@on("outline:change", staff_only=True)
def change_outline(sender: who.Identity, request: dict):
    return {"outline": outlines.change(sender.actor, sender.workshop_id, request["role_id"],
                                       request["base_version"], request["operation"])}


@on("outline:draft", staff_only=True)
def start_draft(sender: who.Identity, request: dict):
    return {"outline": outlines.start_draft(sender.actor, sender.workshop_id, request["role_id"],
                                            request["base_version"])}


@on("outline:sign", staff_only=True)
def sign_off(sender: who.Identity, request: dict):
    return {"outline": outlines.sign_off(sender.actor, sender.workshop_id, request["role_id"],
                                         request["version"], request.get("note"))}


@on("outline:show", staff_only=True)
def show_outline(sender: who.Identity, request: dict):
    return outlines.show_on_projector(sender.actor, sender.workshop_id, request["role_id"])
