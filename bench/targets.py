"""The servers the harness drives: coprod itself (run.py), the bare baseline, and coprod as
docs/deploy.md runs it with several workers (`cluster-<workers>`: PostgreSQL, Redis, nginx).

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

import psutil
import requests
import socketio

from tests.support.clients import live_socket, sign_in
from tests.support.databases import PostgresServer, migrate
from tests.support.live_server import LiveServer
from tests.support.nginx import Nginx
from tests.support.ports import free_port
from tests.support.redis_server import RedisServer

from .phones import STICKY_COOKIE

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long benchmark password"
SECRET = "benchmark secret"
# nginx's worker_connections for the cluster: a phone holds two (its own, and nginx's to a
# worker), with room for the joins' short HTTP requests on top, up to about 8,000 phones.
PROXY_CONNECTIONS = 20000
# How nginx spreads phones over the workers. deploy/nginx-coprod.conf uses ip_hash, which hashes
# the first three bytes of the client's address: every bench phone comes from 127.0.0.1, so it
# would send them all to one worker (and so would a venue whose phones share one Wi-Fi address).
# Each bench phone carries its own index in a cookie from its first request (bench/phones.py),
# so hashing on it spreads the phones evenly (nginx's plain hash splits 0..N-1 exactly in half
# over two workers; `consistent` split 1,000 phones 428 / 574) and keeps each one on one worker
# for the whole run, which is what stickiness is for (a long-polling session and its upgrade on
# the same worker). The console and projector, without that cookie, share one worker.
STICKY_BY_PHONE = f"hash $cookie_{STICKY_COOKIE};"


class CoprodTarget:
    """The real app: run.py on its own SQLite file, set up through coprod's own services."""

    name = "coprod"

    def __init__(self, folder: Path, mode: str, database_url: str | None = None):
        self.database_url = database_url or f"sqlite:///{folder / 'bench.sqlite'}"
        self.server = LiveServer(self.database_url, async_mode=mode, log_path=folder / "coprod.log",
                                 env={"COPROD_SECRET_KEY": SECRET})

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def pids(self) -> list[int]:
        return [self.server.process.pid]

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

    def joined_rows(self, workshop_id: int) -> int:
        """How many participants the database holds for the workshop (one per phone joined)."""
        from sqlalchemy import func, select

        from coprod.extensions import db
        from coprod.models import Participant
        with self.app.app_context():
            return db.session.scalar(select(func.count(Participant.id))
                                     .where(Participant.workshop_id == workshop_id))

    def spread(self) -> list[int] | None:
        """Live connections per worker (None with one process: nothing to spread)."""
        return None

    def helpers(self) -> dict[str, int]:
        """Other processes serving the room (name -> pid), watched beside the server."""
        return {}

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


class ClusterTarget(CoprodTarget):
    """coprod as docs/deploy.md runs it: `workers` run.py processes on a private PostgreSQL
    (migrated once, before any starts) and a private Redis queue, behind nginx with the
    deployment's settings. Phones, console and projector all come in through nginx."""

    def __init__(self, folder: Path, mode: str, database_url: str | None = None,
                 workers: int = 2):
        self.folder, self.mode, self.count = folder, mode, workers
        self.name = f"cluster-{workers}"
        self.parts, self.workers = [], []

    @property
    def url(self) -> str:
        return self.proxy.url

    @property
    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self.workers]

    def start(self) -> None:
        try:
            self._start_parts()
        except Exception:
            self.stop()
            raise
        self.app = _setup_app(self.database_url)

    def _start_parts(self) -> None:
        self.postgres = postgres = self._keep(PostgresServer())
        postgres.execute("CREATE DATABASE coprod")
        self.database_url = postgres.url("coprod")
        migrate(self.database_url)
        self.queue = queue = self._keep(RedisServer())
        for number in range(self.count):
            worker = self._keep(LiveServer(
                self.database_url, async_mode=self.mode,
                log_path=self.folder / f"worker-{number + 1}.log",
                env={"COPROD_SECRET_KEY": SECRET, "COPROD_MESSAGE_QUEUE": queue.url,
                     "COPROD_AUTO_MIGRATE": "0"}))
            self.workers.append(worker.start(timeout=90))
        self.proxy = self._keep(Nginx([worker.port for worker in self.workers],
                                      connections=PROXY_CONNECTIONS, balance=STICKY_BY_PHONE))

    def _keep(self, part):
        self.parts.append(part)
        return part

    def helpers(self) -> dict[str, int]:
        return {"nginx": self.proxy.process.pid, "postgresql": self.postgres.process.pid,
                "redis": self.queue.process.pid}

    def spread(self) -> list[int]:
        """Established connections each worker holds now (phones, console and projector)."""
        return [sum(connection.status == psutil.CONN_ESTABLISHED
                    and connection.laddr.port == worker.port
                    for connection in psutil.Process(worker.process.pid).net_connections("tcp"))
                for worker in self.workers]

    def stop(self) -> None:
        if getattr(self, "app", None) is not None:
            from coprod.extensions import db
            with self.app.app_context():
                db.engine.dispose()  # PostgreSQL will not stop while a connection is open
        for part in reversed(self.parts):
            try:
                part.stop()
            except Exception:  # stop the rest whatever one of them did
                pass
        self.parts = []


def _setup_app(database_url: str):
    from coprod import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET,
                       "LIVE_LOOP": False, "ASYNC_MODE": "threading"})


class BareTarget:
    """bench/baseline.py: the same protocol with nothing behind it."""

    name = "bare"

    def __init__(self, folder: Path, mode: str, database_url: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mode, self.log_path = mode, folder / "bare.log"

    @property
    def pids(self) -> list[int]:
        return [self.process.pid]

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

    def joined_rows(self, workshop_id: int) -> None:
        return None  # it keeps no participants

    def spread(self) -> None:
        return None

    def helpers(self) -> dict[str, int]:
        return {}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)
        self._log.close()


TARGETS = {"coprod": CoprodTarget, "bare": BareTarget}


def make_target(name: str, folder: Path, mode: str, database_url: str | None = None):
    """The target called `name`: coprod, bare, or cluster-<workers> (e.g. cluster-2)."""
    if name.startswith("cluster-"):
        return ClusterTarget(folder, mode, database_url, workers=int(name.split("-", 1)[1]))
    return TARGETS[name](folder, mode, database_url)
