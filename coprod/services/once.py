"""Actions sent with a client-generated id happen once, however often the phone resends them."""

import json
import re
from typing import Callable

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from ..domain.actors import Actor
from ..domain.clock import utcnow
from ..domain.errors import DomainError, InvalidInput
from ..extensions import db
from ..models import ClientAction
from .group_commit import group_commit
from .hot_sql import HotStatement
from .unit import Unit, to_json, unit_of_work

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def actor_key(actor: Actor) -> str:
    """Whose ids these are: a participant's phone, or an account's browser."""
    return f"p:{actor.participant_id}" if actor.kind == "participant" else f"u:{actor.user_id}"


def check_client_id(client_id) -> str | None:
    """A well-formed client id, None when absent, or an error for a malformed one."""
    if client_id is None:
        return None
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise InvalidInput("This request has a broken id. Please reload the page.", field="cid")
    return client_id


def _stored(key: str, client_id: str) -> dict | None:
    db.session.rollback()
    return _stored_here(key, client_id)


_actions = ClientAction.__table__
_STORED = select(_actions.c.result).where(_actions.c.actor_key == bindparam("key"),
                                          _actions.c.client_id == bindparam("the_id"))
_STORE = HotStatement(insert(_actions).values(
    workshop_id=bindparam("workshop_id"), actor_key=bindparam("actor_key"),
    client_id=bindparam("client_id"), action=bindparam("action"), result=bindparam("result"),
    created_at=bindparam("created_at")))


def _stored_here(key: str, client_id: str) -> dict | None:
    # Within the current transaction, so it also sees ids stored earlier in the same batch.
    row = db.session.connection().execute(_STORED, {"key": key, "the_id": client_id}).scalar()
    return None if row is None else {**json.loads(row), "repeat": True}


def run_once(actor: Actor, workshop_id: int, client_id, action: str,
             perform: Callable[[Unit], dict]) -> dict:
    """Run `perform` in a unit of work unless this client id already ran; return its result.

    The id is stored in the same transaction as the change, under a unique constraint, so two
    copies racing each other still make one change: the loser reads back the winner's result.
    """
    client_id = check_client_id(client_id)
    key = actor_key(actor)
    if client_id and (previous := _stored(key, client_id)) is not None:
        return previous
    try:
        with unit_of_work(actor) as unit:
            result = perform(unit)
            if client_id:
                unit.session.add(ClientAction(workshop_id=workshop_id, actor_key=key,
                                              client_id=client_id, action=action,
                                              result=to_json(result)))
                unit.session.flush()
            return result
    except IntegrityError:
        previous = _stored(key, client_id) if client_id else None
        if previous is None:
            raise
        return previous


def run_once_grouped(actor: Actor, workshop_id: int, client_id, action: str,
                     perform: Callable[[Unit], dict], refused: Callable[[], None]) -> dict:
    """`run_once` for changes that come in bursts (votes): they share a group commit.

    `refused` raises the message to give when the database refuses the change (a constraint)
    and no copy of it was stored by a racing tab or worker.
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
            if client_id and (previous := _stored_here(key, client_id)) is not None:
                return previous
            raise
        if client_id:
            _STORE.run(unit.connection, {
                "workshop_id": workshop_id, "actor_key": key, "client_id": client_id,
                "action": action, "result": to_json(result), "created_at": utcnow()})
        return result

    def on_conflict() -> dict:
        previous = _stored(key, client_id) if client_id else None
        if previous is None:
            refused()
        return previous

    return group_commit().submit(actor, work, on_conflict)
