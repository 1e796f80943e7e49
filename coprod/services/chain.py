"""Appending audit events: the one place that writes the audit trail.

Every change's events (one change in a unit of work, or many votes in a group commit) go through
a `ChainWriter` on the change's transaction: it locks each chain's head once, hashes each event
over the exact JSON text that will be stored (coprod/domain/audit.py), and writes the rows and
the new head just before the commit, sealed with the audit key (services/audit_keys.py) so
that no one who can only write the database can move a head. The database refuses to update or
delete an audit row (triggers in coprod/migration_helpers.py, installed by the migrations).
"""

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ..domain.audit import event_hash, new_record
from ..domain.clock import utcnow
from ..models import AuditChain, AuditEvent
from .audit_keys import key_ring

SYSTEM_CHAIN = "system"


def chain_key(workshop_id: int | None) -> str:
    """The audit chain a workshop's events (or account events, for None) go on."""
    return SYSTEM_CHAIN if workshop_id is None else f"workshop:{workshop_id}"


@dataclass(frozen=True)
class Appended:
    """An audit event appended by a ChainWriter (written just before the commit)."""

    seq: int


_chain, _events = AuditChain.__table__, AuditEvent.__table__
_LOCK_HEAD = (select(_chain.c.id, _chain.c.head_seq, _chain.c.head_hash)
              .where(_chain.c.key == bindparam("key")).with_for_update())
_ADD_EVENTS = insert(_events)
_MOVE_HEAD = (update(_chain).where(_chain.c.id == bindparam("chain_id"))
              .values(head_seq=bindparam("seq"), head_hash=bindparam("digest"),
                      head_seal=bindparam("seal")))


class ChainWriter:
    """Appends the audit events of one transaction, for one change or several sharing it.

    Each chain's head is locked and read once, the events are inserted together and each head is
    written and sealed once, by `write`, just before the commit (one MAC per chain moved).
    `mark` and `undo` take back the events of one change whose savepoint was rolled back (a
    refused vote in a group commit).
    """

    def __init__(self, connection: Connection):
        self.connection = connection
        self.heads: dict[str, tuple[int, int, str]] = {}  # key -> (chain id, seq, hash)
        self.read: dict[str, tuple[int, int, str]] = {}
        self.rows: list[dict] = []

    def append(self, actor: dict, action: str, payload: dict,
               workshop_id: int | None) -> Appended:
        """Add one event to the workshop's chain; its number is final once committed.

        Raises UnstorablePayload, before anything is written, if the actor or payload is not
        plain JSON that can be stored exactly as it is hashed.
        """
        key = chain_key(workshop_id)
        chain_id, seq, prev_hash = self.heads.get(key) or self._lock(key)
        record = new_record(key, seq + 1, utcnow(), actor, action, payload, prev_hash)
        digest = event_hash(record)
        self.rows.append({"chain_id": chain_id, "seq": record.seq, "workshop_id": workshop_id,
                          "at": record.at, "actor": record.actor, "action": action,
                          "payload": record.payload, "prev_hash": prev_hash, "hash": digest})
        self.heads[key] = (chain_id, record.seq, digest)
        return Appended(record.seq)

    def _lock(self, key: str) -> tuple[int, int, str]:
        head = tuple(self.connection.execute(_LOCK_HEAD, {"key": key}).one())
        self.read[key] = head
        return head

    def mark(self) -> tuple[dict, int]:
        """Where the chain stands now, to `undo` back to."""
        return dict(self.heads), len(self.rows)

    def undo(self, mark: tuple[dict, int]) -> None:
        """Forget the events appended since `mark`."""
        self.heads = dict(mark[0])
        del self.rows[mark[1]:]

    def write(self) -> None:
        """Insert the events and move and seal each chain head (call once, before the commit)."""
        if self.rows:
            self.connection.execute(_ADD_EVENTS, self.rows)
        moved = {key: head for key, head in self.heads.items() if head != self.read[key]}
        if moved:
            keys = key_ring()
            for key, (chain_id, seq, digest) in moved.items():
                self.connection.execute(_MOVE_HEAD, {"chain_id": chain_id, "seq": seq,
                                                     "digest": digest,
                                                     "seal": keys.seal(key, seq, digest)})
        self.rows, self.read = [], dict(self.heads)
