"""Socket sessions: read once per connection, and ended, on every worker, when access ends."""

import threading

from flask.sessions import SecureCookieSessionInterface
from socketio.pubsub_manager import PubSubManager

from . import rooms
from .server import socketio

# Notices after which the server closes the sockets it sent them to.
ENDING = {"signed_out", "access_ended"}
_hook_lock = threading.Lock()


def end_access(room: str, notice: str, reason: str) -> None:
    """Tell every socket in `room`, on every worker, why its access ended (`reason`, a key the
    screen turns into its own words, see live.js `end`), then close it.

    Each socket first leaves its workshop's rooms, so no broadcast reaches it even in the moment
    before it closes. Behind a message queue the notice travels through the queue and each
    worker closes its own sockets there (no worker can list another's); alone, it all happens
    here.
    """
    manager = socketio.server.manager
    data = {"reason": reason}
    if isinstance(manager, PubSubManager):
        close_on_notice(manager)
        socketio.emit(notice, data, to=room)
    else:
        _end_here(manager, room, lambda: socketio.emit(notice, data, to=room))


def close_on_notice(manager: PubSubManager) -> None:
    """Have this worker close its own sockets in a room when an ending notice reaches the room.

    Installed at every connect (a worker holds sockets only after one) and before sending, so
    every worker that could hold a socket listens. python-socketio has no "disconnect a room"
    across workers, so this wraps the queue's delivery of emits.
    """
    with _hook_lock:
        if getattr(manager, "_coprod_closes_on_notice", False):
            return
        deliver = manager._handle_emit

        def deliver_then_close(message):
            if message.get("event") in ENDING and message.get("room"):
                _end_here(manager, message["room"], lambda: deliver(message))
            else:
                deliver(message)
        manager._handle_emit = deliver_then_close
        manager._coprod_closes_on_notice = True


def _end_here(manager, room: str, send_notice) -> None:
    # This worker's sockets in the room: out of every other room first, then told, then closed.
    sids = [sid for sid, _ in list(manager.get_participants(rooms.NAMESPACE, room))]
    for sid in sids:
        for other in list(manager.get_rooms(sid, rooms.NAMESPACE)):
            if other not in (sid, room):
                manager.basic_leave_room(sid, rooms.NAMESPACE, other)
    send_notice()
    for sid in sids:
        socketio.server.disconnect(sid, namespace=rooms.NAMESPACE, ignore_queue=True)


class SocketAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without decoding the cookie again for every socket event.

    Flask opens the session whenever a request context is pushed, and Flask-SocketIO pushes one
    per event, only to swap in the session it copied at connect. Handing that copy back here
    skips verifying the same cookie hundreds of times a second in a busy vote.
    """

    def open_session(self, app, request):
        """The socket's saved session during a socket event; the cookie's session otherwise."""
        saved = request.environ.get("saved_session")
        return saved if saved is not None else super().open_session(app, request)
