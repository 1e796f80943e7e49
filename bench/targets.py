"""The two servers the harness drives: coprod itself (run.py) and the bare baseline.

Each starts its server in a subprocess, sets up a workshop, opens the console and projector
sockets, and afterwards says what it stored, so lost and duplicated actions are counted from
the server's side and not only from the phones' acknowledgements.
"""

import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import requests
import socketio

from tests.support.clients import live_socket, sign_in
from tests.support.live_server import LiveServer
from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long benchmark password"


class CoprodTarget:
    """The real app: run.py on its own SQLite file, set up through coprod's own services."""

    name = "coprod"

    def __init__(self, folder: Path, mode: str, database_url: str | None = None):
        self.database_url = database_url or f"sqlite:///{folder / 'bench.sqlite'}"
        self.server = LiveServer(self.database_url, async_mode=mode, log_path=folder / "coprod.log",
                                 env={"COPROD_SECRET_KEY": "benchmark secret"})

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def pid(self) -> int:
        return self.server.process.pid

    def start(self) -> None:
        self.server.start(timeout=90)
        self.app = _setup_app(self.database_url)

    def setup(self) -> dict:
        """A facilitator, a workshop with three groups, and the console and projector open."""
        from coprod.domain.actors import Actor
        from coprod.models import Workshop
        from coprod.services import accounts, workshops
        from coprod.services.workshops import WorkshopDetails
        with self.app.app_context():
            owner = accounts.create_account(Actor.system(), accounts.NewAccount(
                "facilitator@example.org", "Facilitator", "facilitator", PASSWORD))
            workshop_id = workshops.create_workshop(
                Actor.user(owner.id, owner.role), WorkshopDetails(
                    "Benchmark workshop", date(2027, 3, 14), "Hall"),
                "Service user or patient\nCarer\nStaff", ["navigator"], [])
            workshop = self.app.extensions["sqlalchemy"].session.get(Workshop, workshop_id)
            info = {"workshop_id": workshop_id, "code": workshop.join_code,
                    "groups": [group.id for group in workshop.constituencies]}
        staff = sign_in(self.url, "facilitator@example.org", PASSWORD)
        info["console"] = live_socket(self.url, staff, workshop_id, "console")
        info["projector"] = live_socket(self.url, staff, workshop_id, "projector")
        return info

    def stored(self, workshop_id: int, round_id: int) -> dict:
        """What the database holds for a round: each person's votes, action ids and audit events."""
        from sqlalchemy import func, select

        from coprod.extensions import db
        from coprod.models import AuditEvent, Card, ClientAction, Participant, Vote
        with self.app.app_context():
            votes = db.session.execute(select(Participant.number, Vote.card_id, Vote.value)
                                       .join(Participant, Participant.id == Vote.participant_id)
                                       .where(Vote.round_id == round_id)).all()
            actions = db.session.scalars(select(ClientAction.client_id).where(
                ClientAction.workshop_id == workshop_id)).all()
            events = db.session.scalars(select(AuditEvent.payload).where(
                AuditEvent.workshop_id == workshop_id, AuditEvent.action.like("vote.%"))).all()
            cards = db.session.scalar(select(func.count(Card.id))
                                      .where(Card.workshop_id == workshop_id))
        return {"votes": {(number, card): value for number, card, value in votes},
                "cids": set(actions), "cards": cards,
                "vote_events": sum(json.loads(payload)["round_id"] == round_id
                                   for payload in events)}

    def stop(self) -> None:
        self.server.stop()


def _setup_app(database_url: str):
    from coprod import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "benchmark secret",
                       "LIVE_LOOP": False, "ASYNC_MODE": "threading"})


class BareTarget:
    """bench/baseline.py: the same protocol with nothing behind it."""

    name = "bare"

    def __init__(self, folder: Path, mode: str, database_url: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mode, self.log_path = mode, folder / "bare.log"

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> None:
        self._log = open(self.log_path, "w")
        env = {"COPROD_PORT": str(self.port), "COPROD_ASYNC_MODE": self.mode,
               "PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([sys.executable, "-m", "bench.baseline"], cwd=ROOT, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"the baseline did not start:\n{self.log_path.read_text()}")

    def setup(self) -> dict:
        info = {"workshop_id": 1, "code": "BARE", "groups": [1, 2, 3]}
        for view in ("console", "projector"):
            client = socketio.Client(reconnection=False)
            client.connect(self.url, auth={"workshop": 1, "view": view}, transports=["websocket"],
                           wait_timeout=30)
            info[view] = client
        return info

    def stored(self, workshop_id: int, round_id: int) -> dict | None:
        return None  # nothing is stored: the reveal's totals are all it has

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)
        self._log.close()


TARGETS = {"coprod": CoprodTarget, "bare": BareTarget}
