"""Backups that restore: copied while people are still joining, put back, and the trail verifies."""

import threading
import uuid

import pytest
from sqlalchemy import func, select

from coprod.extensions import db
from coprod.models import AuditEvent, Participant, Workshop
from coprod.services import backup

from .conftest import app_on
from .factories import join, make_user, make_workshop


def empty_database(databases, tmp_path) -> str:
    """A database with nothing in it at all, as on a new server."""
    if hasattr(databases, "server"):  # PostgreSQL: a new, empty database on the test server
        name = f"r_{uuid.uuid4().hex[:12]}"
        databases.server.execute(f"CREATE DATABASE {name}")
        return databases.server.url(name)
    return f"sqlite:///{tmp_path / 'restored.sqlite'}"


class KeepJoining(threading.Thread):
    """Someone joining the workshop over and over, on its own connection, like a live room."""

    def __init__(self, app, workshop_id: int):
        super().__init__(daemon=True)
        self.app, self.workshop_id = app, workshop_id
        self.joined = 0
        self.stop = threading.Event()
        self.started_some = threading.Event()

    def run(self):
        with self.app.app_context():
            while not self.stop.is_set():
                join(self.workshop_id, "Carer")
                self.joined += 1
                if self.joined >= 3:
                    self.started_some.set()
            db.session.remove()


@pytest.fixture
def seeded(app):
    workshop_id = make_workshop(make_user())
    for group in ("Carer", "Staff"):
        join(workshop_id, group)
    return workshop_id


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Participant.id))),
            db.session.scalar(select(func.count(AuditEvent.id))))


def test_a_backup_made_while_people_join_restores_into_a_fresh_database_and_verifies(
        app, seeded, databases, tmp_path):
    writer = KeepJoining(app, seeded)
    writer.start()
    assert writer.started_some.wait(30), "the writer never got going"
    path = tmp_path / "coprod.backup"
    made = app.test_cli_runner().invoke(args=["backup", str(path)])
    joined_by_backup = writer.joined
    writer.started_some.clear()
    writer.joined = 0
    assert writer.started_some.wait(30)  # still joining after the backup
    writer.stop.set()
    writer.join(30)
    assert made.exit_code == 0, made.output
    assert f"to {path}" in made.output and path.stat().st_size > 0

    with app_on(empty_database(databases, tmp_path)) as fresh:
        runner = fresh.test_cli_runner()
        restored = runner.invoke(args=["restore", str(path)])
        assert restored.exit_code == 0, restored.output
        participants, events = counts()
        assert f"1 workshop, {events} audit events" in restored.output
        # A snapshot: every join it holds is complete, with its audit event.
        assert 2 + 3 <= participants <= 2 + joined_by_backup + 1
        verified = runner.invoke(args=["verify-audit"])
        assert verified.exit_code == 0, verified.output
        assert f"workshop:{seeded}: {participants + 1} events, all verified" in verified.output
        assert events >= participants + 1


def test_restore_refuses_a_database_that_holds_data_unless_forced(app, seeded, databases,
                                                                  tmp_path):
    path = tmp_path / "coprod.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    with app_on(databases.fresh()) as other:  # migrated, with its (empty) system chain
        runner = other.test_cli_runner()
        refused = runner.invoke(args=["restore", str(path)])
        assert refused.exit_code == 1 and "already holds data" in refused.output
        assert "--force" in refused.output
        assert db.session.scalar(select(func.count(Workshop.id))) == 0
        forced = runner.invoke(args=["restore", str(path), "--force"])
        assert forced.exit_code == 0, forced.output
        assert db.session.scalar(select(Workshop.id)) == seeded
        assert runner.invoke(args=["verify-audit"]).exit_code == 0


def test_a_backup_never_overwrites_an_earlier_one(app, seeded, tmp_path):
    path = tmp_path / "coprod.backup"
    path.write_bytes(b"yesterday's backup")
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert path.read_bytes() == b"yesterday's backup"


def test_restoring_something_that_is_not_a_backup_says_so(app, databases, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    with app_on(empty_database(databases, tmp_path)) as fresh:
        result = fresh.test_cli_runner().invoke(args=["restore", str(path)])
        assert result.exit_code == 1 and "is not a" in result.output
        assert "nothing was restored" in result.output and "Traceback" not in result.output


def test_a_missing_pg_dump_is_named_with_what_to_install(app, monkeypatch):
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [])
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("COPROD_PG_BIN", raising=False)
    with pytest.raises(backup.BackupError, match="pg_dump is not installed.*postgresql-client"):
        backup._pg_tool("pg_dump")
