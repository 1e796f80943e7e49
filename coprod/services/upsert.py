"""INSERT that quietly skips a row that already exists, on SQLite and PostgreSQL alike."""

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def insert_ignoring_duplicates(model, values: dict, unique_columns: list[str]) -> None:
    """Insert `values` unless a row with the same unique columns exists (no error, no update)."""
    insert = _INSERTS[db.session.get_bind().dialect.name]
    db.session.execute(insert(model).values(**values)
                       .on_conflict_do_nothing(index_elements=unique_columns))
