"""The vote path on its own: what a vote costs the server, with each way of running its statements.

    python -m bench.vote_path                    # SQLite and PostgreSQL, about a minute
    python -m bench.vote_path --databases sqlite

Runs the real voting service (`voting.cast_vote`) in-process, in batches as the group commit
makes them in a burst (one vote alone, and 20 sharing a transaction), three ways:

- `statement`: coprod's `fast_path.Statement`: compiled once, run through SQLAlchemy's lightest
  call, `Connection._cursor_execute` (events, logging and SQLAlchemy's errors included);
- `driver`: the same SQL straight on the DBAPI cursor, invisible to SQLAlchemy (how coprod ran
  it before issue 10);
- `core`: plain `connection.execute(statement, params)`, as everywhere else in coprod.

The three alternate round by round, so a busy machine slows them alike. Figures: microseconds
of server time per vote (median of the rounds) and statements per vote, written to
bench/results/vote_path.json and printed as the table docs/decisions.md quotes.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event

RESULTS = Path(__file__).resolve().parent / "results"
WAYS = ("statement", "driver", "core")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.vote_path",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--votes", type=int, default=400, help="votes per way and round")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure every way on every database asked for; save and print the figures."""
    args = _arguments(sys.argv[1:] if argv is None else argv)
    figures = {name: _measure_on(name, args) for name in args.databases.split(",")}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "vote_path.json").write_text(json.dumps(figures, indent=1))
    print(table(figures))
    return 0


def _measure_on(database: str, args) -> dict:
    with fresh_database(database) as url:
        return _measure(url, args)


@contextmanager
def fresh_database(database: str):
    """The URL of a fresh, migrated database: a SQLite file, or ("postgresql") a private
    PostgreSQL server the tests' support starts and stops."""
    from tests.support.databases import PostgresDatabases, SqliteDatabases

    with tempfile.TemporaryDirectory(prefix="coprod-bench-db-") as folder:
        factory = (PostgresDatabases() if database == "postgresql"
                   else SqliteDatabases(Path(folder)))
        try:
            yield factory.fresh()
        finally:
            factory.stop()


def _measure(url: str, args) -> dict:
    from coprod import create_app
    from coprod.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "ASYNC_MODE": "threading", "LIVE_LOOP": False})
    with app.app_context():
        room = _Room()
        timings = {(way, batch): [] for way in WAYS for batch in (1, 20)}
        statements = {}
        for _ in range(args.rounds):
            for way in WAYS:
                for batch in (1, 20):
                    with _running(way), counting(db.engine) as counted:
                        seconds = room.vote_in_batches(args.votes, batch)
                    timings[way, batch].append(seconds / args.votes * 1e6)
                    statements[way, batch] = counted[0] / args.votes
        db.session.remove()
        db.engine.dispose()
    return {f"{way} x{batch}": {"us_per_vote": round(statistics.median(values), 1),
                                "statements_per_vote": round(statements[way, batch], 2)}
            for (way, batch), values in timings.items()}


class _Room:
    """A workshop with an open dot vote, 60 people and 20 ideas, made through the services."""

    def __init__(self):
        from coprod.services import cards, participants, voting
        from tests.factories import actor_of, join, make_user, make_workshop, set_phase

        owner = make_user()
        self.workshop_id = make_workshop(owner)
        set_phase(owner, self.workshop_id, "contribute")
        groups = ("Service user or patient", "Carer", "Staff")
        self.people = [participants.actor_for(join(self.workshop_id, groups[n % 3]))
                       for n in range(60)]
        self.ideas = [cards.add_card(self.people[n], self.workshop_id, "responsibility",
                                     f"Idea {n}")["card"]["id"] for n in range(20)]
        set_phase(owner, self.workshop_id, "review", "vote")
        self.round_id = voting.open_round(actor_of(owner), self.workshop_id, "dots", budget=5,
                                          max_per_card=2)["round"]["id"]
        self.taps = 0

    def vote_in_batches(self, votes: int, batch: int) -> float:
        """Seconds to cast `votes` votes, `batch` of them sharing each transaction."""
        from coprod.services import voting
        from coprod.services.fast_path import group_commit as batching

        held, original = [], batching.GroupCommit.submit
        batching.GroupCommit.submit = lambda _self, actor, work, on_conflict: held.append(
            batching.Request(actor, work, on_conflict))
        try:
            for _ in range(votes):
                self._next_vote(voting)
        finally:
            batching.GroupCommit.submit = original
        began = time.perf_counter()
        for start in range(0, votes, batch):
            chunk = held[start:start + batch]
            batching.run_batch(chunk)
            for request in chunk:
                request.outcome()  # raises if a vote was refused: the bench would be wrong
        return time.perf_counter() - began

    def _next_vote(self, voting) -> None:
        # Each person puts a dot on their idea, then takes it off: always a change, never over
        # budget, and the batch holds one vote per person, as a burst does.
        number = self.taps % len(self.people)
        dots = 1 - (self.taps // len(self.people)) % 2
        voting.cast_vote(self.people[number], self.workshop_id, self.round_id,
                         self.ideas[number % len(self.ideas)], dots,
                         client_id=f"bench-{self.taps:08d}")
        self.taps += 1


@contextmanager
def _running(way: str):
    """Run the fast path's statements one of the three ways for a while."""
    from coprod.services.fast_path import group_commit as batching
    from coprod.services.fast_path import statements

    original_run, original_execute = statements.Statement.run, statements.execute
    if way == "driver":
        def execute(connection, sql, parameters=()):
            cursor = connection.connection.dbapi_connection.cursor()
            cursor.execute(sql, parameters)
            return cursor
        statements.execute = batching.execute = execute
    elif way == "core":
        statements.Statement.run = lambda self, connection, params=None: connection.execute(
            self.statement, params or {})
        statements.execute = batching.execute = (
            lambda connection, sql, parameters=(): connection.exec_driver_sql(sql))
    try:
        yield
    finally:
        statements.Statement.run = original_run
        statements.execute = batching.execute = original_execute


@contextmanager
def counting(engine, begins: bool = True):
    """Count the statements SQLAlchemy sees (the `driver` way hides most of its own); without
    `begins`, not the BEGIN SQLite's driver is sent for each transaction (coprod/database.py),
    since PostgreSQL's driver begins on its own and the two should then count alike."""
    counted = [0]

    def count(_conn, _cursor, statement, *_args):
        counted[0] += begins or not statement.startswith("BEGIN")
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", count)


def table(figures: dict) -> str:
    """The figures as a Markdown table: µs per vote and statements seen, per way and batch."""
    lines = ["| database | way | µs per vote, alone | µs per vote, 20 per batch | statements seen per vote |",
             "|---|---|---|---|---|"]
    for database, ways in figures.items():
        for way in WAYS:
            alone, shared = ways[f"{way} x1"], ways[f"{way} x20"]
            lines.append(f"| {database} | {way} | {alone['us_per_vote']} | "
                         f"{shared['us_per_vote']} | {alone['statements_per_vote']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
