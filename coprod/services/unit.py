"""The unit of work: one transaction per change, with its audit events and broadcasts."""

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from flask import current_app
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ..domain.actors import Actor
from ..domain.audit import AuditRecord, event_hash
from ..domain.clock import utcnow
from ..extensions import db
from ..models import AuditChain, AuditEvent, Workshop
from .events import Audience, Event, Refresh
from .hot_sql import HotStatement

SYSTEM_CHAIN = "system"


def chain_key(workshop_id: int | None) -> str:
    """The audit chain a workshop's events (or account events, for None) go on."""
    return SYSTEM_CHAIN if workshop_id is None else f"workshop:{workshop_id}"


def head_seq(workshop_id: int | None) -> int:
    """The number of the newest event on a workshop's audit chain (0 before any)."""
    return db.session.scalar(select(AuditChain.head_seq).where(
        AuditChain.key == chain_key(workshop_id))) or 0


def to_json(value) -> str:
    """Compact, sorted JSON: how audit actors and payloads are stored and hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Appended:
    """An audit event appended by a ChainWriter (written just before the commit)."""

    seq: int


_chain = AuditChain.__table__
_LOCK_HEAD = HotStatement(select(_chain.c.id, _chain.c.head_seq, _chain.c.head_hash)
                          .where(_chain.c.key == bindparam("key")).with_for_update())
_events = AuditEvent.__table__
_ADD_EVENTS = HotStatement(insert(_events).values(
    {name: bindparam(name) for name in ("chain_id", "seq", "workshop_id", "at", "actor", "action",
                                         "payload", "prev_hash", "hash")}))
_MOVE_HEAD = HotStatement(update(_chain).where(_chain.c.id == bindparam("chain_id"))
                          .values(head_seq=bindparam("seq"), head_hash=bindparam("digest")))


class ChainWriter:
    """Appends the audit events of several changes sharing one transaction (a group commit).

    Each chain's head is locked and read once, the events are inserted together and each head is
    written once, just before the commit. `mark` and `undo` take back the events of one change
    whose savepoint was rolled back.
    """

    def __init__(self, connection: Connection):
        self.connection = connection
        self.heads: dict[str, tuple[int, int, str]] = {}  # key -> (chain id, seq, hash)
        self.read: dict[str, tuple[int, int, str]] = {}
        self.rows: list[dict] = []

    def append(self, actor_dict: dict, action: str, payload: dict,
               workshop_id: int | None) -> Appended:
        """Add one event to the workshop's chain; its number is final once committed."""
        key = chain_key(workshop_id)
        chain_id, seq, prev_hash = self.heads.get(key) or self._lock(key)
        record = AuditRecord(chain=key, seq=seq + 1, at=utcnow(), actor=actor_dict,
                             action=action, payload=payload, prev_hash=prev_hash)
        digest = event_hash(record)
        self.rows.append({"chain_id": chain_id, "seq": record.seq, "workshop_id": workshop_id,
                          "at": record.at, "actor": to_json(actor_dict), "action": action,
                          "payload": to_json(payload), "prev_hash": prev_hash, "hash": digest})
        self.heads[key] = (chain_id, record.seq, digest)
        return Appended(record.seq)

    def _lock(self, key: str) -> tuple[int, int, str]:
        head = tuple(_LOCK_HEAD.run(self.connection, {"key": key}).fetchone())
        self.read[key] = head
        return head

    def mark(self) -> tuple[dict, int]:
        return dict(self.heads), len(self.rows)

    def undo(self, mark: tuple[dict, int]) -> None:
        self.heads = dict(mark[0])
        del self.rows[mark[1]:]

    def write(self) -> None:
        """Insert the events and move each chain head (call once, before the commit)."""
        if self.rows:
            _ADD_EVENTS.run_many(self.connection, self.rows)
        for key, (chain_id, seq, digest) in self.heads.items():
            if (chain_id, seq, digest) != self.read[key]:
                _MOVE_HEAD.run(self.connection, {"chain_id": chain_id, "seq": seq,
                                                 "digest": digest})
        self.rows, self.read = [], {key: head for key, head in self.heads.items()}


class Unit:
    """Collects what one change does, inside its transaction."""

    def __init__(self, actor: Actor, chain: ChainWriter | None = None, memo: dict | None = None):
        self.actor = actor
        self.session = db.session
        self._connection = chain.connection if chain else None
        self.events: list = []
        self.chain = chain  # set when the change shares its transaction with others
        # What this transaction already read and will not change (shared by a group commit).
        self.memo = {} if memo is None else memo

    @property
    def connection(self) -> Connection:
        """The transaction's connection (fetched once: the vote path asks for it often)."""
        if self._connection is None:
            self._connection = self.session.connection()
        return self._connection

    def audit(self, action: str, payload: dict, *, workshop_id: int | None,
              actor: Actor | None = None) -> AuditEvent | Appended:
        """Append one event to the workshop's chain (or the system chain), locking its head."""
        if self.chain:
            return self.chain.append((actor or self.actor).as_audit(), action, payload,
                                     workshop_id)
        key = chain_key(workshop_id)
        chain = self.session.scalars(
            select(AuditChain).where(AuditChain.key == key).with_for_update()).one()
        actor_dict = (actor or self.actor).as_audit()
        record = AuditRecord(chain=key, seq=chain.head_seq + 1, at=utcnow(), actor=actor_dict,
                             action=action, payload=payload, prev_hash=chain.head_hash)
        digest = event_hash(record)
        event = AuditEvent(chain_id=chain.id, seq=record.seq, workshop_id=workshop_id,
                           at=record.at, actor=to_json(actor_dict), action=action,
                           payload=to_json(payload), prev_hash=record.prev_hash, hash=digest)
        self.session.add(event)
        chain.head_seq, chain.head_hash = record.seq, digest
        return event

    def broadcast(self, workshop_id: int, name: str, payload: dict,
                  audience: str = Audience.EVERYONE, phone_payload: dict | None = None) -> None:
        """Queue a message for after the commit; room-wide ones take the next sequence number.

        `phone_payload`, if given, is what phones get instead of `payload`.
        """
        seq = self._next_broadcast_seq(workshop_id) if audience == Audience.EVERYONE else None
        self.events.append(Event(workshop_id, name, payload, audience, seq, phone_payload))

    def refresh(self, workshop_id: int, what: str) -> None:
        """Ask the notifier to send the latest counts or tallies soon."""
        self.events.append(Refresh(workshop_id, what))

    def _next_broadcast_seq(self, workshop_id: int) -> int:
        # One UPDATE ... RETURNING: the row lock orders concurrent changes to one workshop.
        return self.session.execute(
            update(Workshop).where(Workshop.id == workshop_id)
            .values(broadcast_seq=Workshop.broadcast_seq + 1)
            .returning(Workshop.broadcast_seq)).scalar_one()


PUBLISHER = "coprod.publisher"


@contextmanager
def unit_of_work(actor: Actor) -> Iterator[Unit]:
    """Run one change: commit everything it did, or roll all of it back.

    Only after the commit are its events handed to the app's publisher (the realtime notifier),
    so no client ever hears of a change that did not happen, and no transport can forget to tell.
    """
    session = db.session
    session.rollback()  # start clean: a read earlier in the request must not hold a snapshot
    session.connection(execution_options={"coprod_write": True})
    unit = Unit(actor)
    try:
        yield unit
        session.commit()
    except BaseException:
        session.rollback()
        raise
    publish = current_app.extensions.get(PUBLISHER)
    if publish and unit.events:
        publish(unit.events)
