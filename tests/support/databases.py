"""Test databases: a migrated template made once per run, then a fresh copy for every test.

SQLite copies a file. PostgreSQL (COPROD_TEST_DATABASE=postgresql) starts a private server in a
temporary folder and clones a template database, so tests never touch a real installation.
"""

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from coprod import create_app

from .ports import free_port

BACKEND = os.environ.get("COPROD_TEST_DATABASE", "sqlite")


def migrate(url: str) -> None:
    """Run every migration against `url`, as `flask db upgrade` would."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "migrate", "TESTING": True})
    with app.app_context():
        upgrade()
        from coprod.extensions import db
        db.engine.dispose()


class SqliteDatabases:
    def __init__(self, folder: Path):
        self.folder = folder
        self.template = folder / "template.sqlite"
        migrate(f"sqlite:///{self.template}")

    def fresh(self) -> str:
        """A new database with the full schema, for one test."""
        target = self.folder / f"{uuid.uuid4().hex}.sqlite"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def stop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql).")
    return versions[-1]


def _as_postgres_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root, so step down to the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class PostgresServer:
    """A throwaway PostgreSQL server on a free port, with its data in a temporary folder."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="coprod-pg-"))
        self.port = free_port()
        data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        bin_dir = _pg_bin()
        subprocess.run(_as_postgres_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "coprod",
                                          "--auth=trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)
        self.process = subprocess.Popen(_as_postgres_user([
            str(bin_dir / "postgres"), "-D", str(data), "-p", str(self.port), "-k", str(self.folder),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=300"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg2://coprod@127.0.0.1:{self.port}/{database}"

    def _wait(self) -> None:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        deadline = time.monotonic() + 30
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(text("select 1"))
                break
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("PostgreSQL did not start") from None
                time.sleep(0.2)
        engine.dispose()

    def execute(self, statement: str) -> None:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresDatabases:
    def __init__(self):
        self.server = PostgresServer()
        self.server.execute("CREATE DATABASE coprod_template")
        migrate(self.server.url("coprod_template"))
        self.created: list[str] = []

    def fresh(self) -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        self.server.execute(f"CREATE DATABASE {name} TEMPLATE coprod_template")
        return self.server.url(name)

    def stop(self) -> None:
        self.server.stop()


def start_databases(folder: Path):
    """The database factory for this run's backend."""
    if BACKEND == "postgresql":
        return PostgresDatabases()
    if BACKEND != "sqlite":
        raise RuntimeError("COPROD_TEST_DATABASE must be sqlite or postgresql")
    return SqliteDatabases(folder)
