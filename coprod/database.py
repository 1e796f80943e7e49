"""Engine set-up that SQLAlchemy leaves to the application."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_engine(engine: Engine) -> None:
    """Apply per-database settings: SQLite needs WAL, foreign keys and write locks up front."""
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy emit BEGIN itself, so a write can take its lock at the start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL",
                       "busy_timeout=10000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A write that starts as a read and upgrades later can fail with "database is locked"
        # under WAL; BEGIN IMMEDIATE takes the write lock first and waits its turn instead.
        immediate = connection.get_execution_options().get("coprod_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def engine_options(url: str) -> dict:
    """Pool settings: many short checkouts at once when hundreds of phones act together."""
    if url.startswith("sqlite"):
        return {"pool_size": 20, "max_overflow": 40, "pool_timeout": 30}
    return {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": True}
