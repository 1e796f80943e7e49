"""SQL that migrations share: the triggers that make the audit trail append-only."""

from alembic import op

_SQLITE = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]

_POSTGRESQL = [
    """CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]

_DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update",
               "DROP TRIGGER IF EXISTS audit_event_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
                   "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
                   "DROP FUNCTION IF EXISTS audit_event_append_only()"],
}


def forbid_audit_changes() -> None:
    """Make the database itself refuse UPDATE and DELETE on audit events."""
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}.get(dialect, []):
        op.execute(statement)


def allow_audit_changes() -> None:
    """Remove those triggers (only a downgrade that drops the table needs this)."""
    for statement in _DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)


_FROZEN = "outline versions cannot be changed once saved, and agreed ones are frozen"
_CHANGED = ("OLD.status = 'agreed' OR NEW.content IS {ne} OLD.content OR NEW.number IS {ne} OLD.number"
            " OR NEW.role_id IS {ne} OLD.role_id OR NEW.summary IS {ne} OLD.summary"
            " OR NEW.saved_by_user_id IS {ne} OLD.saved_by_user_id OR NEW.saved_at IS {ne} OLD.saved_at")

_OUTLINES = {
    "sqlite": [
        f"""CREATE TRIGGER outline_version_frozen BEFORE UPDATE ON outline_version
            WHEN {_CHANGED.format(ne="NOT")}
            BEGIN SELECT RAISE(ABORT, '{_FROZEN}'); END""",
        f"""CREATE TRIGGER outline_version_no_delete BEFORE DELETE ON outline_version
            BEGIN SELECT RAISE(ABORT, '{_FROZEN}'); END""",
    ],
    "postgresql": [
        f"""CREATE FUNCTION outline_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' OR {_CHANGED.format(ne="DISTINCT FROM")} THEN
                RAISE EXCEPTION '{_FROZEN}';
              END IF;
              RETURN NEW;
            END $$""",
        """CREATE TRIGGER outline_version_frozen BEFORE UPDATE OR DELETE ON outline_version
           FOR EACH ROW EXECUTE FUNCTION outline_version_frozen()""",
    ],
}

_OUTLINES_DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS outline_version_frozen",
               "DROP TRIGGER IF EXISTS outline_version_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS outline_version_frozen ON outline_version",
                   "DROP FUNCTION IF EXISTS outline_version_frozen()"],
}


def freeze_outline_versions() -> None:
    """Make the database refuse to change a saved outline version (only draft -> agreed)."""
    for statement in _OUTLINES.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def thaw_outline_versions() -> None:
    """Remove those triggers (for the downgrade that drops the table)."""
    for statement in _OUTLINES_DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
