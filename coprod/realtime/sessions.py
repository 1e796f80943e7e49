"""Socket sessions: read once per connection, and ended when an account signs out."""

from flask.sessions import SecureCookieSessionInterface

from . import rooms
from .server import socketio


def end_user_sockets(user_id: int) -> None:
    """Tell this account's open consoles they are signed out, then close them.

    Sockets on other workers close at their next action, which re-checks the session.
    """
    room = rooms.user(user_id)
    socketio.emit("signed_out", {"message": "You have been signed out. Please sign in again."},
                  to=room)
    manager = socketio.server.manager
    for sid, _ in list(manager.get_participants(rooms.NAMESPACE, room)):
        socketio.server.disconnect(sid, namespace=rooms.NAMESPACE)


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
