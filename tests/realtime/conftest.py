"""Socket.IO clients for a phone, a projector and a console, on Flask-SocketIO's test client."""

import pytest
from flask import g

from coprod.extensions import db
from coprod.models import Workshop
from coprod.realtime.server import socketio

from ..conftest import IsolatedClient, csrf_token
from ..factories import group_id, make_user, make_workshop, set_phase
from ..web.test_auth_pages import sign_in


class Room:
    """One workshop in the contribute phase, and ways to connect to it."""

    def __init__(self, app):
        self.app = app
        self.clients = []
        self.owner = make_user()
        self.workshop_id = make_workshop(self.owner)
        set_phase(self.owner, self.workshop_id, "contribute")
        self.code = db.session.get(Workshop, self.workshop_id).join_code

    def http(self):
        self.app.test_client_class = IsolatedClient
        return self.app.test_client()

    def phone(self, group="Carer", workshop_id=None):
        """A phone that joined through the join page, then connected its socket."""
        http = self.http()
        token = csrf_token(http, f"/j/{self.code}")
        http.post(f"/j/{self.code}", data={"csrf_token": token, "consent": "y",
                                           "constituency": group_id(self.workshop_id, group)})
        return self.connect(http, "phone", workshop_id)

    def staff(self, view="console", user=None):
        http = self.http()
        sign_in(http, (user or self.owner).email)
        return self.connect(http, view)

    def connect(self, http, view, workshop_id=None):
        # Every test socket shares the test's app context, where Flask-Login caches the user it
        # loaded: forget it, or this socket would be let in as the account that connected before.
        g.pop("_login_user", None)
        client = socketio.test_client(self.app, flask_test_client=http, auth={
            "workshop": workshop_id or self.workshop_id, "view": view})
        self.clients.append(client)
        return client

    def quiet(self):
        """Send everything already due, and forget what every client received so far."""
        self.app.extensions["coprod.notifier"].flush(force_phones=True)
        for client in self.clients:
            if client.is_connected():
                client.get_received()


@pytest.fixture
def room(app):
    return Room(app)


def received(client, name="events"):
    """Every message of this name the client got since last asked, flattened for "events".

    Asking empties the client's inbox: use `inbox` to look at several kinds of message at once.
    """
    return pick(client.get_received(), name)


def inbox(client) -> list:
    """Everything the client got since last asked."""
    return client.get_received()


def pick(messages: list, name: str = "events") -> list:
    """The payloads of one kind of message; room events flattened out of their batches."""
    chosen = [m for m in messages if m["name"] == name]
    if name != "events":
        return [m["args"][0] for m in chosen]
    return [event for m in chosen for event in m["args"][0]["events"]]
