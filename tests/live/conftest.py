"""A running server (run.py under eventlet) with a workshop ready to vote in."""

import pytest

from coprod import create_app
from coprod.extensions import db

from ..factories import actor_of, group_id, make_user, make_workshop, set_phase
from ..support.live_server import LiveServer


class Scene:
    """The server, plus an app context on the same database for setting up and checking."""

    def __init__(self, server: LiveServer, app):
        self.server, self.app = server, app
        self.owner = make_user(password="a long enough password")
        self.workshop_id = make_workshop(self.owner)
        from coprod.models import Workshop
        self.code = db.session.get(Workshop, self.workshop_id).join_code

    def group(self, name: str) -> int:
        return group_id(self.workshop_id, name)

    def phases(self, *names):
        set_phase(self.owner, self.workshop_id, *names)

    @property
    def boss(self):
        return actor_of(self.owner)


@pytest.fixture
def scene(databases, tmp_path):
    url = databases.fresh()
    server = LiveServer(url, log_path=tmp_path / "server.log").start()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "live test secret",
                      "TESTING": True, "LIVE_LOOP": False})
    with app.app_context():
        yield Scene(server, app)
        db.session.remove()
        db.engine.dispose()
    server.stop()

