"""Reading and verifying the audit trail. (Events are appended by services/chain.py.)"""

import json
from dataclasses import dataclass

from sqlalchemy import select

from ..domain.audit import AuditRecord, verify_chain
from ..domain.errors import NotFound
from ..extensions import db
from ..models import AuditChain, AuditEvent
from .chain import chain_key


@dataclass(frozen=True)
class ChainCheck:
    key: str
    events: int
    head_hash: str
    ok: bool
    bad_seq: int | None = None
    reason: str | None = None

    def describe(self) -> str:
        """One line for the page or the terminal."""
        if self.ok:
            return f"{self.key}: {self.events} events, all verified. Chain head {self.head_hash}."
        return f"{self.key}: event {self.bad_seq} fails verification: {self.reason}."


def _record(chain: AuditChain, event: AuditEvent) -> AuditRecord:
    # The stored text itself, never re-serialised: what was hashed is what is stored.
    return AuditRecord(chain=chain.key, seq=event.seq, at=event.at, actor=event.actor,
                       action=event.action, payload=event.payload, prev_hash=event.prev_hash)


def check_chain(chain: AuditChain) -> ChainCheck:
    """Recompute every hash of one chain and compare it with what is stored."""
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.chain_id == chain.id)
                                .order_by(AuditEvent.seq)).all()
    problem = verify_chain([(_record(chain, event), event.hash) for event in events],
                           chain.head_seq, chain.head_hash)
    if problem:
        return ChainCheck(chain.key, len(events), chain.head_hash, False, problem.seq,
                          problem.reason)
    return ChainCheck(chain.key, len(events), chain.head_hash, True)


def verify(workshop_id: int | None = None) -> ChainCheck:
    """Check one workshop's chain (or the system chain for None)."""
    chain = db.session.scalar(select(AuditChain).where(AuditChain.key == chain_key(workshop_id)))
    if chain is None:
        raise NotFound(f"There is no workshop {workshop_id}.")
    return check_chain(chain)


def verify_all() -> list[ChainCheck]:
    """Check every chain: the system one and each workshop's."""
    return [check_chain(chain)
            for chain in db.session.scalars(select(AuditChain).order_by(AuditChain.id))]


@dataclass(frozen=True)
class EventView:
    seq: int
    at: str
    actor: dict
    action: str
    payload: dict
    hash: str


def events_for(workshop_id: int, newest_first: bool = True) -> list[EventView]:
    """A workshop's audit events, ready to show."""
    order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.workshop_id == workshop_id)
                              .order_by(order))
    return [EventView(row.seq, row.at.isoformat(sep=" ", timespec="seconds"),
                      json.loads(row.actor), row.action, json.loads(row.payload), row.hash)
            for row in rows]


def head(workshop_id: int) -> tuple[int, str]:
    """The newest sequence number and hash of a workshop's chain."""
    chain = db.session.scalar(select(AuditChain).where(AuditChain.key == chain_key(workshop_id)))
    return chain.head_seq, chain.head_hash
