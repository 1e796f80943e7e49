"""Reads at the size of a real room: how long a person waits for a screen's sync or an export
of a workshop with 200 ideas, and how many SQL statements each one runs.

    python -m bench.reads                        # 200 ideas, on a fresh SQLite file
    python -m bench.reads --database postgresql  # on a private PostgreSQL server, as the tests use
    python -m bench.reads --database postgresql://user@host/empty_database

The workshop is built in-process by the shared builder (tests/support/rooms.py): people in three
groups, ideas over the three roles and "any role", a merge, a dot vote and an agree vote that
everyone answers, both revealed, and three outlines signed off. Each sync goes through
Flask-SocketIO's test client, so the handler, its access checks and the JSON encoding of the
answer all count; each export calls the export service for the whole workshop. Every read runs
in its own app context and database session, as on the server, so nothing is already loaded.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import session
from sqlalchemy import event

from coprod import create_app
from coprod.domain.actors import Actor
from coprod.extensions import db
from coprod.realtime.server import socketio
from coprod.runtime import tune_garbage_collector
from coprod.services import exports
from coprod.sessions import remember_participant
from tests.factories import PASSWORD
from tests.support.clients import CSRF
from tests.support.databases import PostgresServer, migrate
from tests.support.rooms import build_room

from .stats import percentiles

RESULTS = Path(__file__).resolve().parent / "results"
SCREENS = ("console", "projector", "phone")
FORMATS = ("pdf", "docx", "md", "csv", "json")


@dataclass
class Built:
    """What the reads need from the room, as plain values (its rows expire with their context)."""
    workshop_id: int
    actor: Actor  # the facilitator, as the export service takes them
    owner_email: str
    phone_id: int  # a participant who added ideas and voted in both rounds
    seconds: float


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.reads",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--people-per-group", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each read")
    parser.add_argument("--pdf-repeat", type=int, default=5, help="timed runs of the PDF")
    parser.add_argument("--database", default="sqlite",
                        help="sqlite (a fresh file), postgresql (a private throwaway server) or "
                             "the URL of an empty database, which is migrated and filled")
    parser.add_argument("--name", default="reads", help="bench/results/<name>.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the room, time every read, save the figures and print the table."""
    args = _arguments(sys.argv[1:] if argv is None else argv)
    with database(args.database) as url:
        app = _app(url)
        built = build(app, args.ideas, args.people_per_group)
        print(f"built {args.ideas} ideas, {args.people_per_group} people per group "
              f"in {built.seconds:.1f} s", flush=True)
        tune_garbage_collector()  # the server's own collector settings (run.py), so pauses match
        load_before = os.getloadavg()
        reads = time_reads(app, built, args.repeat, args.pdf_repeat)
        with app.app_context():
            db.engine.dispose()
    figures = {"ideas": args.ideas, "people_per_group": args.people_per_group,
               "database": app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0],
               "build_seconds": round(built.seconds, 1), "reads": reads,
               # Other work on the machine shows in every figure: say how busy it was.
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "load_before": load_before, "load_after": os.getloadavg()}}
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"{args.name}.json"
    output.write_text(json.dumps(figures, indent=1))
    print(table(figures))
    print(f"\nAll figures: {output}")
    return 0


@contextmanager
def database(choice: str):
    """A database URL to fill: a fresh SQLite file, a private PostgreSQL server, or the one given."""
    if choice == "postgresql":
        server = PostgresServer()
        try:
            server.execute("CREATE DATABASE coprod_reads")
            url = server.url("coprod_reads")
            migrate(url)
            yield url
        finally:
            server.stop()
    elif choice == "sqlite":
        with tempfile.TemporaryDirectory(prefix="coprod-reads-") as folder:
            url = f"sqlite:///{Path(folder) / 'reads.sqlite'}"
            migrate(url)
            yield url
    else:
        migrate(choice)
        yield choice


def _app(url: str):
    # The settings the tests use, minus TESTING: the notifier's loop stays off, so nothing runs
    # in the background while a read is timed.
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark secret",
                       "ASYNC_MODE": "threading", "LIVE_LOOP": False,
                       "PUBLIC_URL": "http://coprod.test"})


def build(app, ideas: int, people_per_group: int) -> Built:
    """The room, built through the services; what the reads need from it."""
    began = time.perf_counter()
    with app.app_context():
        room = build_room(ideas=ideas, people_per_group=people_per_group, votes=True,
                          outlines=True)
        db.session.commit()
        built = Built(room.workshop_id, room.actor, room.owner.email,
                      room.people["Staff"][0].id, time.perf_counter() - began)
        db.session.remove()
    return built


def time_reads(app, built: Built, repeat: int, pdf_repeat: int) -> dict:
    """Every read, timed: the three screens' syncs, then each export."""
    counter = StatementCounter(app)
    clients = screens(app, built)
    reads = {f"{view} sync": measure(counter, repeat, lambda client=clients[view]: _sync(client))
             for view in SCREENS}
    for name in FORMATS:
        reads[f"{name} export"] = measure(
            counter, pdf_repeat if name == "pdf" else repeat,
            lambda name=name: _export(app, built, name))
    for client in clients.values():
        client.disconnect()
    return reads


def screens(app, built: Built) -> dict:
    """The facilitator's console and projector, signed in, and one participant's phone."""
    staff = app.test_client()
    page = staff.get("/login").get_data(as_text=True)
    signed_in = staff.post("/login", data={"email": built.owner_email, "password": PASSWORD,
                                           "csrf_token": CSRF.search(page).group(1)})
    if signed_in.status_code != 302:
        raise RuntimeError("the facilitator could not sign in")
    phone = app.test_client()
    with phone.session_transaction() as cookie, app.test_request_context():
        # The join page's own way of remembering who a phone joined as, copied to its cookie.
        remember_participant(built.workshop_id, built.phone_id)
        cookie.update(session)
    clients = {view: _connect(app, staff, built.workshop_id, view)
               for view in ("console", "projector")}
    clients["phone"] = _connect(app, phone, built.workshop_id, "phone")
    return clients


def _connect(app, http, workshop_id: int, view: str):
    client = socketio.test_client(app, flask_test_client=http,
                                  auth={"workshop": workshop_id, "view": view})
    if not client.is_connected():
        raise RuntimeError(f"the {view} could not connect")
    return client


def _sync(client) -> None:
    # A first sync (no last_seq): the whole state, as a screen opened or reconnected after a gap.
    reply = client.emit("sync", {}, callback=True)
    if not reply.get("ok"):
        raise RuntimeError(f"sync refused: {reply}")
    client.get_received()  # nothing should arrive, but keep the inbox from growing if it does


def _export(app, built: Built, name: str) -> None:
    with app.app_context():
        exported = exports.export(built.actor, built.workshop_id, name)
        if not exported.data:
            raise RuntimeError(f"the {name} export is empty")
        db.session.remove()


class StatementCounter:
    """Counts every SQL statement the app's engine sends (`before_cursor_execute`)."""

    def __init__(self, app):
        self.count = 0
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_) -> None:
        self.count += 1


def measure(counter: StatementCounter, repeat: int, read) -> dict:
    """A first run, reported apart (it also pays for imports, fonts and templates), then
    `repeat` timed runs: milliseconds waited (median, p95, max), milliseconds of this process's
    CPU (median: what the read costs, much less moved by other work on a shared machine than
    the wait is) and the statements each run sent."""
    waits, cpu, statements = [], [], []
    for _ in range(repeat + 1):
        before, began, began_cpu = counter.count, time.perf_counter(), time.process_time()
        read()
        waits.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        statements.append(counter.count - before)
    timed = waits[1:]
    spread = percentiles(timed)
    return {"runs": len(timed), "first_ms": _ms(waits[0]),
            "median_ms": _ms(statistics.median(timed)), "p95_ms": _ms(spread["p95"]),
            "max_ms": _ms(spread["max"]), "cpu_median_ms": _ms(statistics.median(cpu[1:])),
            "statements": sorted(set(statements[1:])), "statements_first": statements[0],
            "each_ms": [_ms(value) for value in timed]}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


HEADER = ["read", "runs", "median ms", "p95 ms", "first ms", "CPU ms (median)",
          "SQL statements"]


def table(figures: dict) -> str:
    """The reads as docs/performance.md shows them."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for name, read in figures["reads"].items():
        counts = "/".join(str(count) for count in read["statements"])
        cells = [name, read["runs"], read["median_ms"], read["p95_ms"], read["first_ms"],
                 read["cpu_median_ms"], counts]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
