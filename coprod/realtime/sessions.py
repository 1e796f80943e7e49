"""Ending an account's live connections when it signs out."""

from ..extensions import socketio
from . import rooms

NAMESPACE = "/"


def end_user_sockets(user_id: int) -> None:
    """Tell this account's open consoles they are signed out, then close them.

    Sockets on other workers close at their next action, which re-checks the session.
    """
    room = rooms.user(user_id)
    socketio.emit("signed_out", {"message": "You have been signed out. Please sign in again."},
                  to=room)
    manager = socketio.server.manager
    for sid, _ in list(manager.get_participants(NAMESPACE, room)):
        socketio.server.disconnect(sid, namespace=NAMESPACE)
