"""The hot path: what lets one process take thousands of votes, and joins, a second.

Votes and joins come in bursts: a few hundred people tap at once, or a thousand scan the QR code
in the same ten seconds. Four things keep each one cheap, and they live here, behind the names
the voting and joining services use:

- `run_batched`: a change with a client id, run in a group commit (group_commit.py): changes
  that arrive together share one transaction and one lock of the audit chain, each in its own
  savepoint, and each is still audited, idempotent and answered only after the commit.
- `Statement` (statements.py): a fixed statement compiled once and run with SQLAlchemy's
  lightest call, still visible to its events and logging.
- `remembered`: facts that never change once they exist (a participant's workshop, a round's
  ideas), read once per process instead of once per vote.
- `room_cached`: what every phone of a room is shown alike (the ideas on the screen, the groups
  to join), built once per change of the room instead of once per phone. It is kept under the
  room's broadcast sequence number, which every change a phone can see moves on (services/unit.py
  `broadcast`), so a reader who brings the current number never gets a state older than it.

Everything else in coprod uses `unit_of_work` and ordinary SQLAlchemy.
"""

from typing import Callable, Hashable, TypeVar

from flask import current_app
from sqlalchemy import bindparam, insert

from ...domain.actors import Actor
from ...domain.clock import utcnow
from ...domain.errors import DomainError
from ...models import ClientAction
from ..once import actor_key, check_client_id, result_json, stored_result, stored_result_now
from ..unit import Unit
from .group_commit import current_group_commit
from .statements import Statement

__all__ = ["Statement", "remembered", "room_cached", "run_batched"]

_actions = ClientAction.__table__
_STORE = Statement(insert(_actions).values(
    {name: bindparam(name) for name in ("workshop_id", "actor_key", "client_id", "action",
                                         "result", "created_at")}))


def run_batched(actor: Actor, workshop_id: int, client_id, action: str,
                perform: Callable[[Unit], dict], refused: Callable[[], None]) -> dict:
    """Run `perform` once for this client id, in the next group commit; return its result.

    `run_once` for changes that come in bursts (votes). `refused` raises the message to give when
    the database refuses the change (a constraint) and no copy of it was stored by a racing tab
    or worker.
    """
    client_id = check_client_id(client_id)
    key = actor_key(actor)

    def work(unit: Unit) -> dict:
        # The common case, a new action, is tried straight away: a repeat is caught by the unique
        # id when it is stored (and everything it did is rolled back with its savepoint), or, if
        # the action is refused now (say the vote has closed since), by looking for its id then.
        try:
            result = perform(unit)
        except DomainError:
            if client_id and (previous := stored_result(unit.connection, key, client_id)):
                return previous
            raise
        if client_id:
            _STORE.run(unit.connection, {
                "workshop_id": workshop_id, "actor_key": key, "client_id": client_id,
                "action": action, "result": result_json(result), "created_at": utcnow()})
        return result

    def on_conflict() -> dict:
        previous = stored_result_now(key, client_id) if client_id else None
        if previous is None:
            refused()
        return previous

    return current_group_commit().submit(actor, work, on_conflict)


T = TypeVar("T")
_REMEMBERED = "coprod.remembered"
_MOST_REMEMBERED = 100_000  # per kind: a long-running server forgets old facts, a room never does


def remembered(kind: str, key: Hashable, load: Callable[[], T | None]) -> T | None:
    """A fact that never changes once it exists, loaded once per process (None is not kept).

    Only for facts that no change can alter: a participant's workshop and whether they are on
    paper, the ideas a round was opened on (merges happen only between votes).
    """
    facts = current_app.extensions.setdefault(_REMEMBERED, {}).setdefault(kind, {})
    if key not in facts:
        value = load()
        if value is None:
            return None
        if len(facts) >= _MOST_REMEMBERED:
            facts.clear()
        facts[key] = value
    return facts[key]


_ROOM_CACHED = "coprod.room_cached"
_MOST_ROOMS = 1_000  # rooms kept per kind: a long-running server forgets old ones


def room_cached(kind: str, workshop_id: int, seq: int, load: Callable[[], T]) -> T:
    """What `load` builds for this workshop as of broadcast number `seq`, built once per number.

    `seq` must be read from the database in the same request: a change that moves it on makes
    the next reader build afresh, so a renamed group or a new idea shows at once. Kept per
    workshop, never shared between two. The value is shared by every reader: never change it.
    """
    rooms = current_app.extensions.setdefault(_ROOM_CACHED, {}).setdefault(kind, {})
    kept = rooms.get(workshop_id)
    if kept is not None and kept[0] == seq:
        return kept[1]
    value = load()
    if len(rooms) >= _MOST_ROOMS:
        rooms.clear()
    rooms[workshop_id] = (seq, value)
    return value
