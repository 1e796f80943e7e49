"""Group commit: changes that arrive together share one transaction, each in its own savepoint.

When hundreds of phones vote at once, a transaction per vote spends most of its time beginning,
locking the audit chain and committing. Here the first caller becomes the leader: it lets the
callers that arrived with it queue up, runs all of them in one transaction (one savepoint each,
so one refusal or one error touches nobody else), commits, and wakes them. Every change is
still audited and idempotent, and nobody is answered before the commit. The caller behind the
leader leads the next batch, so nobody waits for more than the batch in front of it.
"""

import threading
import time
from typing import Callable

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ..chain import ChainWriter
from ..unit import Unit, publish, refuse_if_open, transaction
from .statements import execute


class Request:
    """One change waiting for (or done in) a batch."""

    def __init__(self, actor, work: Callable[[Unit], dict], on_conflict: Callable[[], dict]):
        self.actor, self.work, self.on_conflict = actor, work, on_conflict
        self.leads = False
        self.done = False
        self.result, self.error, self.events = None, None, []

    def outcome(self) -> dict:
        """The change's result once its batch committed, or its error raised."""
        if isinstance(self.error, IntegrityError):
            return self.on_conflict()
        if self.error is not None:
            raise self.error
        publish(self.events)
        return self.result


class GroupCommit:
    """Runs submitted changes in shared transactions (one per batch)."""

    def __init__(self):
        # One condition for every waiter: cheaper than an event per change, and a batch wakes
        # its callers (and the next leader) with a single notify_all.
        self._changed = threading.Condition()
        self._queue: list[Request] = []
        self._leading = False

    def submit(self, actor, work: Callable[[Unit], dict],
               on_conflict: Callable[[], dict]) -> dict:
        """Run `work(unit)` in the next batch and return its result (or raise its error).

        `on_conflict` is called, after the batch, when the database refused the change (a
        unique or check constraint): it returns the result to give instead, or raises.
        """
        refuse_if_open()
        request = Request(actor, work, on_conflict)
        with self._changed:
            self._queue.append(request)
            request.leads = not self._leading
            self._leading = True
        if db.session.registry.has():
            db.session.rollback()  # hold no connection or snapshot while waiting
        while True:
            with self._changed:
                while not (request.done or request.leads):
                    self._changed.wait()
            if request.done:
                return request.outcome()
            self._lead()

    def _lead(self) -> None:
        # Let the changes that arrived together join this batch. Under eventlet or gevent,
        # run.py has patched time.sleep to yield to the other green threads.
        time.sleep(0)
        with self._changed:
            batch, self._queue = self._queue, []
        try:
            run_batch(batch)
        finally:
            with self._changed:
                for request in batch:
                    request.done = True
                if self._queue:
                    self._queue[0].leads = True
                self._leading = bool(self._queue)
                self._changed.notify_all()


def run_batch(batch: list[Request]) -> None:
    """Run the changes of one batch in one transaction, each in its own savepoint.

    Each request ends with its result and events, or its error; if the commit itself fails,
    every request gets that error (nothing of the batch happened).
    """
    try:
        with transaction() as chain:
            memo = {}
            for request in batch:
                _run_one(request, chain, memo)
    except Exception as error:  # the commit failed: nothing of this batch happened
        for request in batch:
            request.error = request.error or error


_SAVEPOINT = "one_change"


def _run_one(request: Request, chain: ChainWriter, memo: dict) -> None:
    unit = Unit(request.actor, chain, memo)
    mark = chain.mark()
    # Plain SAVEPOINT statements: SQLAlchemy's begin_nested() compiles its SAVEPOINT and
    # RELEASE afresh every time, which cost more than the change itself in a vote burst. The
    # changes run here use Core statements only, so no ORM state needs rolling back.
    execute(chain.connection, f"SAVEPOINT {_SAVEPOINT}")
    try:
        request.result = request.work(unit)
        execute(chain.connection, f"RELEASE SAVEPOINT {_SAVEPOINT}")
        request.events = unit.events
    except Exception as error:  # refused or failed: this change alone is undone
        execute(chain.connection, f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        execute(chain.connection, f"RELEASE SAVEPOINT {_SAVEPOINT}")
        chain.undo(mark)
        request.error = error


def current_group_commit() -> GroupCommit:
    """The app's group commit (one per process and app, like its connection pool)."""
    extensions = current_app.extensions
    if _GROUP_COMMIT not in extensions:
        extensions[_GROUP_COMMIT] = GroupCommit()
    return extensions[_GROUP_COMMIT]


_GROUP_COMMIT = "coprod.group_commit"
