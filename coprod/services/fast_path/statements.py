"""Fixed statements of the vote path, compiled once and run with SQLAlchemy's lightest call.

`connection.execute(statement)` sets up an execution context and a result for every call, which
costs several times what the database spends on a small indexed statement; a vote runs about ten
of them and a busy room sends thousands of votes a second (docs/decisions.md has the figures,
from `python -m bench.vote_path`). A `Statement` is compiled once per database dialect, with the
type conversions SQLAlchemy would apply, and run through `Connection._cursor_execute`: the call
SQLAlchemy itself uses for one-off statements, which still fires `before_cursor_execute` and
`after_cursor_execute`, logs when echo is on and raises SQLAlchemy's own exceptions
(IntegrityError and the rest), inside the transaction the session already began.
"""

from sqlalchemy.engine import Connection


class Statement:
    """A Core statement compiled once per dialect, run on the transaction's cursor."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled: dict[str, tuple] = {}

    def run(self, connection: Connection, params: dict | None = None):
        """Execute with `params` (by bind name); returns the driver's cursor to fetch from."""
        sql, names, processors, defaults = (self._compiled.get(connection.dialect.name)
                                             or self._compile(connection.dialect))
        values = {**defaults, **(params or {})}
        for name, process in processors:
            values[name] = process(values[name])
        return execute(connection, sql, values if names is None else
                       tuple(values[name] for name in names))

    def _compile(self, dialect) -> tuple:
        compiled = self.statement.compile(dialect=dialect)
        # The type conversions SQLAlchemy would apply (e.g. datetimes to text on SQLite).
        processors = [(name, process) for name, bind in compiled.binds.items()
                      if (process := bind.type.dialect_impl(dialect).bind_processor(dialect))]
        defaults = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        names = list(compiled.positiontup) if compiled.positional else None
        self._compiled[dialect.name] = (compiled.string, names, processors, defaults)
        return self._compiled[dialect.name]


def execute(connection: Connection, sql: str, parameters=()):
    """Run SQL text with driver-style parameters on a new cursor, as SQLAlchemy would.

    Returns the cursor, to fetch from.
    """
    cursor = connection.connection.dbapi_connection.cursor()
    connection._cursor_execute(cursor, sql, parameters)  # events, logging, SQLAlchemy's errors
    return cursor
