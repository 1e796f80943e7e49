"""The unit of work: one transaction per change, with its audit events and broadcasts."""

from contextlib import contextmanager
from typing import Iterator

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ..domain.actors import Actor
from ..extensions import db
from ..models import AuditChain, Workshop
from .chain import Appended, ChainWriter, chain_key
from .events import Audience, Event, Refresh


def head_seq(workshop_id: int | None) -> int:
    """The number of the newest event on a workshop's audit chain (0 before any)."""
    return db.session.scalar(select(AuditChain.head_seq).where(
        AuditChain.key == chain_key(workshop_id))) or 0


class Unit:
    """Collects what one change does, inside its transaction."""

    def __init__(self, actor: Actor, chain: ChainWriter, memo: dict | None = None):
        self.actor = actor
        self.session = db.session
        self.chain = chain
        self.connection: Connection = chain.connection  # the transaction's connection
        self.events: list = []
        # What this transaction already read and will not change (shared by a group commit).
        self.memo = {} if memo is None else memo

    def audit(self, action: str, payload: dict, *, workshop_id: int | None,
              actor: Actor | None = None) -> Appended:
        """Append one event to the workshop's chain (or the system chain), locking its head.

        The payload must be plain JSON with text keys (domain/audit.py): anything else is
        refused with UnstorablePayload and the whole change is rolled back.
        """
        self.session.flush()  # rows the event refers to (a new workshop's chain, say) exist first
        return self.chain.append((actor or self.actor).as_audit(), action, payload, workshop_id)

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


class NestedUnitOfWork(RuntimeError):
    """A change was started while another was still open in the same session.

    Nesting cannot work: the inner change would commit the outer one half done, or roll it back
    with its audit event. Call the inner service after the outer one, not inside it.
    """


_OPEN = "coprod.unit_open"


def refuse_if_open() -> None:
    """Raise NestedUnitOfWork if a change is already open in this session."""
    if db.session.info.get(_OPEN):
        # A mistake in coprod's own code, for its developers (never shown to people).
        raise NestedUnitOfWork("A change is already open in this session; changes cannot nest.")


@contextmanager
def transaction() -> Iterator[ChainWriter]:
    """One write transaction and its audit chain writer: all of it committed, or none of it.

    The audit events are written last, just before the commit. Used by `unit_of_work` for one
    change and by the group commit for several.
    """
    refuse_if_open()
    session = db.session
    session.info[_OPEN] = True
    try:
        session.rollback()  # start clean: a read earlier in the request must not hold a snapshot
        chain = ChainWriter(session.connection(execution_options={"coprod_write": True}))
        try:
            yield chain
            session.flush()
            chain.write()
            session.commit()
        except BaseException:
            session.rollback()
            raise
    finally:
        session.info.pop(_OPEN, None)


PUBLISHER = "coprod.publisher"


def publish(events: list) -> None:
    """Hand committed events to the app's publisher (the realtime notifier), if any."""
    publisher = current_app.extensions.get(PUBLISHER)
    if publisher and events:
        publisher(events)


@contextmanager
def unit_of_work(actor: Actor) -> Iterator[Unit]:
    """Run one change: commit everything it did, or roll all of it back.

    Only after the commit are its events handed to the app's publisher (the realtime notifier),
    so no client ever hears of a change that did not happen, and no transport can forget to tell.
    Raises NestedUnitOfWork if a change is already open in this session.
    """
    with transaction() as chain:
        unit = Unit(actor, chain)
        yield unit
    publish(unit.events)
