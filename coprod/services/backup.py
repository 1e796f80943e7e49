"""Backups that restore: a consistent copy of the database while the server runs, and back again.

SQLite copies through its online backup API (one consistent snapshot, while writers go on);
PostgreSQL through `pg_dump -Fc` and `pg_restore`. The audit key file is not in the database,
so it is not in these copies: it is kept and backed up apart (docs/deploy.md).
"""

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL

from ..domain.i18n import Message, _, ngettext
from ..extensions import db
from ..models import AuditEvent, Workshop

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# Translators: keep the command as it is.
CHECK_RESTORED = _("Check it with `flask --app coprod verify-audit` (it needs the audit key file "
                   "of the server that made the backup).")


class BackupError(Exception):
    """A backup or restore that could not be done, with a sentence saying why."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Done:
    """What a backup or restore did, for the terminal (and what to do next, if anything)."""

    message: Message
    next_step: Message | None = None


def backup(target: Path) -> Done:
    """Write a consistent copy of the database to `target` (a new file), while the server runs."""
    target = Path(target)
    if target.exists():
        raise BackupError(_("%(path)s already exists. Choose a new file name, so no earlier "
                            "backup is overwritten.", path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        _write_then_move(target, lambda part: _sqlite_copy(_sqlite_path(url), part))
        return Done(_("Backed up the SQLite database to %(path)s (%(size)s).",
                      path=target, size=_size(target)))
    if url.get_backend_name() == "postgresql":
        tool = _pg_tool("pg_dump")
        _write_then_move(target, lambda part: _run(
            tool, "--format=custom", "--no-owner", f"--file={part}",
            f"--dbname={_libpq_url(url)}", url=url))
        return Done(_("Backed up the PostgreSQL database %(database)s to %(path)s (%(size)s).",
                      database=url.database, path=target, size=_size(target)))
    # Translators: %(kind)s is the name of a database program, like "mysql".
    raise BackupError(_("coprod cannot back up a %(kind)s database.", kind=url.get_backend_name()))


def restore(source: Path, force: bool = False) -> Done:
    """Put a backup back into the configured database (refusing one that holds data unless forced)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("There is no backup file at %(path)s.", path=source))
    url = db.engine.url
    if _holds_data() and not force:
        # Translators: keep "restore" and "--force" as they are (a command and its option).
        raise BackupError(_("This database already holds data, so nothing was restored. Stop the "
                            "server, and run restore again with --force to replace it."))
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old database open
    header = source.read_bytes()[:16]
    if url.get_backend_name() == "sqlite":
        if not header.startswith(SQLITE_HEADER):
            raise BackupError(_("%(path)s is not a SQLite backup, so nothing was restored.",
                                path=source))
        _sqlite_restore(source, _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(_("%(path)s is not a pg_dump backup, so nothing was restored.",
                                path=source))
        _run(_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
             "--single-transaction", "--exit-on-error", f"--dbname={_libpq_url(url)}",
             str(source), url=url)
    else:
        # Translators: %(kind)s is the name of a database program, like "mysql".
        raise BackupError(_("coprod cannot restore into a %(kind)s database.",
                            kind=url.get_backend_name()))
    return Done(_restored(source, url), next_step=CHECK_RESTORED)


def _restored(source: Path, url: URL) -> Message:
    # What is in the database now, in words: the restore reads it back to show it worked.
    found = {"path": source,
             "workshops": ngettext("%(count)s workshop", "%(count)s workshops",
                                   db.session.scalar(select(func.count(Workshop.id)))),
             "events": ngettext("%(count)s audit event", "%(count)s audit events",
                                db.session.scalar(select(func.count(AuditEvent.id))))}
    db.session.remove()
    if url.get_backend_name() == "sqlite":
        # Translators: %(workshops)s and %(events)s are counts, like "2 workshops".
        return _("Restored %(path)s into the SQLite database %(database)s: %(workshops)s, "
                 "%(events)s.", database=_sqlite_path(url), **found)
    # Translators: %(workshops)s and %(events)s are counts, like "2 workshops".
    return _("Restored %(path)s into the PostgreSQL database %(database)s: %(workshops)s, "
             "%(events)s.", database=url.database, **found)


def _holds_data() -> bool:
    with db.engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(url.database)


def _write_then_move(target: Path, write) -> None:
    # Written beside the target and moved into place, so a half-made copy never looks like one.
    handle, name = tempfile.mkstemp(prefix=".coprod-backup-", dir=target.parent)
    os.close(handle)
    try:
        write(Path(name))
        os.replace(name, target)
    finally:
        Path(name).unlink(missing_ok=True)


def _sqlite_restore(source: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(source, database)


def _sqlite_copy(source: Path, target: Path) -> None:
    # The online backup API copies one consistent snapshot; writers are not held up (WAL).
    reader = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
        if writer.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(_("The copy at %(path)s failed SQLite's integrity check.",
                                path=target))
    except sqlite3.DatabaseError as error:
        raise BackupError(_("SQLite could not copy %(path)s: %(error)s.", path=source,
                            error=error)) from None
    finally:
        writer.close()
        reader.close()


def _pg_tool(name: str) -> str:
    """The newest installed pg_dump or pg_restore (COPROD_PG_BIN, Debian's folders, or PATH)."""
    folders = [os.environ.get("COPROD_PG_BIN", ""),
               *sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)]
    for folder in filter(None, folders):
        if os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    found = shutil.which(name)
    if found is None:
        # Translators: %(tool)s is pg_dump or pg_restore; keep the command and the setting name.
        raise BackupError(_("%(tool)s is not installed, so a PostgreSQL backup cannot be made or "
                            "restored. Install the PostgreSQL client tools (Debian: apt-get "
                            "install postgresql-client), or set COPROD_PG_BIN to their folder.",
                            tool=name))
    return found


def _version(folder: str) -> int:
    number = Path(folder).parent.name
    return int(number) if number.isdigit() else 0


def _libpq_url(url: URL) -> str:
    # libpq knows no "+psycopg2"; the password goes in the environment, not on the command line.
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(*command: str, url: URL) -> None:
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        # Translators: %(tool)s is pg_dump or pg_restore; %(error)s is its own message.
        raise BackupError(_("%(tool)s failed, so nothing was done: %(error)s",
                            tool=Path(command[0]).name,
                            error=result.stderr.strip() or _("no reason given")))


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"
