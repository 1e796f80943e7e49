"""The join path on its own: what one phone's join costs the server, stage by stage.

    python -m bench.join_path                    # SQLite and PostgreSQL, about a minute
    python -m bench.join_path --databases sqlite --phones 300

A phone's join is four requests: the consent page, the consent form posted back, the live
socket's connect, and its first `sync`. This runs them in-process, through Flask's test client
and Flask-SocketIO's, for many phones joining one room in turn (the room grows as they join, as
it does in a storm), and counts for each stage the SQL statements sent (a `before_cursor_execute`
listener, not counting the BEGIN SQLite's driver is sent for each transaction) and the server's
CPU time (`time.process_time`: on SQLite this
includes the database's own work, on PostgreSQL it does not). Written to
bench/results/join_path.json and printed as the table docs/performance.md quotes.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from .vote_path import counting, fresh_database

RESULTS = Path(__file__).resolve().parent / "results"
STAGES = ("consent page", "consent post", "connect", "first sync")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.join_path",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--phones", type=int, default=300, help="phones joining in turn")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure the join on every database asked for; save and print the figures."""
    args = _arguments(sys.argv[1:] if argv is None else argv)
    figures = {name: _measure_on(name, args.phones) for name in args.databases.split(",")}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "join_path.json").write_text(json.dumps(figures, indent=1))
    print(table(figures))
    return 0


def _measure_on(database: str, phones: int) -> dict:
    with fresh_database(database) as url:
        return measure(url, phones)


def measure(url: str, phones: int) -> dict:
    """Statements and CPU milliseconds per stage of a join, for `phones` joining one room."""
    from coprod import create_app
    from coprod.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "ASYNC_MODE": "threading", "LIVE_LOOP": False})
    with app.app_context():
        room = JoiningRoom(app)
        cpu = {stage: [] for stage in STAGES}
        statements = {stage: [] for stage in STAGES}
        with counting(db.engine, begins=False) as counted:
            for index in range(phones):
                for stage, seconds, sent in room.join_one(index, counted):
                    cpu[stage].append(seconds * 1000)
                    statements[stage].append(sent)
        room.close()
        db.session.remove()
        db.engine.dispose()
    # The median join: the first phone after a change of the room also builds the room's shared
    # state (services/fast_path.room_cached), reported apart as the most statements.
    figures = {stage: {"cpu_ms": round(statistics.median(cpu[stage]), 2),
                       "statements": round(statistics.median(statements[stage])),
                       "most_statements": max(statements[stage])} for stage in STAGES}
    figures["whole join"] = {key: round(sum(f[key] for f in figures.values()), 2)
                             for key in ("cpu_ms", "statements", "most_statements")}
    return {"phones": phones, "stages": figures}


class JoiningRoom:
    """A workshop in the contribute phase with 30 ideas on the screen, and phones joining it."""

    def __init__(self, app):
        from coprod.models import Workshop
        from coprod.services import cards
        from tests.factories import join, make_user, make_workshop, set_phase

        self.app = app
        owner = make_user()
        self.workshop_id = make_workshop(owner)
        set_phase(owner, self.workshop_id, "contribute")
        from coprod.extensions import db
        from coprod.services import participants
        author = participants.actor_for(join(self.workshop_id, "Carer"))
        for number in range(30):
            cards.add_card(author, self.workshop_id, "responsibility", f"Idea {number}")
        workshop = db.session.get(Workshop, self.workshop_id)
        self.code = workshop.join_code
        self.groups = [group.id for group in workshop.constituencies]
        self.sockets = []
        db.session.remove()

    def join_one(self, index: int, counted: list):
        """Yield (stage, CPU seconds, statements) for one phone's four requests."""
        from flask import g

        from coprod.extensions import db
        from coprod.realtime.server import socketio
        from tests.conftest import CSRF_FIELD, IsolatedClient

        self.app.test_client_class = IsolatedClient
        http = self.app.test_client()
        url = f"/j/{self.code}"

        def page():
            return CSRF_FIELD.search(http.get(url).get_data(as_text=True)).group(1)

        token, cpu, sent = _stage(page, counted)
        yield "consent page", cpu, sent
        form = {"csrf_token": token, "consent": "y",
                "constituency": self.groups[index % len(self.groups)]}
        answer, cpu, sent = _stage(lambda: http.post(url, data=form), counted)
        assert answer.status_code == 302, answer.status_code
        yield "consent post", cpu, sent
        g.pop("_login_user", None)
        client, cpu, sent = _stage(lambda: socketio.test_client(
            self.app, flask_test_client=http,
            auth={"workshop": self.workshop_id, "view": "phone"}), counted)
        assert client.is_connected()
        yield "connect", cpu, sent
        reply, cpu, sent = _stage(lambda: client.emit("sync", {}, callback=True), counted)
        assert reply["ok"] and reply["state"]["me"], reply
        yield "first sync", cpu, sent
        self.sockets.append(client)
        db.session.remove()  # as after each request on the server: nothing stays loaded

    def close(self):
        for client in self.sockets:
            client.disconnect()


def _stage(request, counted: list):
    """Run one request; return its answer, CPU seconds and statements sent."""
    before, began = counted[0], time.process_time()
    answer = request()
    return answer, time.process_time() - began, counted[0] - before


def table(figures: dict) -> str:
    """The figures as the Markdown table docs/performance.md quotes."""
    lines = ["| stage | " + " | ".join(f"{name} statements (most) | {name} CPU ms (median)"
                                        for name in figures) + " |",
             "|---|" + "---:|---:|" * len(figures)]
    for stage in (*STAGES, "whole join"):
        cells = [f"{run['stages'][stage]['statements']} ({run['stages'][stage]['most_statements']})"
                 f" | {run['stages'][stage]['cpu_ms']}" for run in figures.values()]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    phones = ", ".join(f"{name}: {run['phones']} phones" for name, run in figures.items())
    return "\n".join(lines) + f"\n\n({phones} joining one room in turn.)"


if __name__ == "__main__":
    sys.exit(main())
