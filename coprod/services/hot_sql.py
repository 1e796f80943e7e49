"""Fixed statements on the vote path, run straight on the database driver's cursor.

SQLAlchemy's execution layer (compiled-cache lookup, parameter processing, result set-up) costs
several times what SQLite itself spends on a small indexed statement. A vote runs half a dozen
such statements and a busy room sends hundreds of votes a second, so those statements are
compiled once per database dialect and handed to the driver directly, inside the transaction the
session already began. Everything else uses SQLAlchemy as usual (docs/decisions.md).
"""

from sqlalchemy import exc
from sqlalchemy.engine import Connection


class HotStatement:
    """A Core statement compiled once per dialect and run on the DBAPI cursor."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled: dict[str, tuple] = {}

    def run(self, connection: Connection, params: dict | None = None):
        """Execute with `params` (by bind name); returns the driver's cursor to fetch from."""
        return self._execute(connection, "execute", [params or {}])

    def run_many(self, connection: Connection, rows: list[dict]) -> None:
        """Execute once per row of parameters, in one call to the driver."""
        self._execute(connection, "executemany", rows)

    def _execute(self, connection: Connection, method: str, rows: list[dict]):
        sql, names, processors, defaults = (self._compiled.get(connection.dialect.name)
                                             or self._compile(connection.dialect))
        driver_rows = []
        for params in rows:
            values = {**defaults, **params}
            for name, process in processors:
                values[name] = process(values[name])
            driver_rows.append(values if names is None else tuple(values[name] for name in names))
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            getattr(cursor, method)(sql, driver_rows[0] if method == "execute" else driver_rows)
        except connection.dialect.dbapi.Error as error:
            # As SQLAlchemy would raise it, so callers catch IntegrityError the usual way.
            raise exc.DBAPIError.instance(sql, rows, error,
                                          connection.dialect.dbapi.Error) from error
        return cursor

    def _compile(self, dialect) -> tuple:
        compiled = self.statement.compile(dialect=dialect)
        # The type conversions SQLAlchemy would apply (e.g. datetimes to text on SQLite).
        processors = [(name, process) for name, bind in compiled.binds.items()
                      if (process := bind.type.dialect_impl(dialect).bind_processor(dialect))]
        defaults = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        names = list(compiled.positiontup) if compiled.positional else None
        self._compiled[dialect.name] = (compiled.string, names, processors, defaults)
        return self._compiled[dialect.name]


def run_raw(connection: Connection, sql: str) -> None:
    """Run a parameterless statement (e.g. SAVEPOINT) on the driver's cursor."""
    connection.connection.dbapi_connection.cursor().execute(sql)
