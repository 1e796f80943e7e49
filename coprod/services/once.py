"""Actions sent with a client-generated id happen once, however often the phone resends them."""

import json
import re
from typing import Callable

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..domain.actors import Actor
from ..domain.errors import InvalidInput
from ..domain.i18n import _
from ..extensions import db
from ..models import ClientAction
from .unit import Unit, refuse_if_open, unit_of_work

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def actor_key(actor: Actor) -> str:
    """Whose ids these are: a participant's phone, or an account's browser."""
    return f"p:{actor.participant_id}" if actor.kind == "participant" else f"u:{actor.user_id}"


def check_client_id(client_id) -> str | None:
    """A well-formed client id, None when absent, or an error for a malformed one."""
    if client_id is None:
        return None
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise InvalidInput(_("This request has a broken id. Please reload the page."), field="cid")
    return client_id


def result_json(result: dict) -> str:
    """How an action's result is kept, to answer a repeat of it."""
    return json.dumps(result, separators=(",", ":"))


_actions = ClientAction.__table__
_STORED = select(_actions.c.result).where(_actions.c.actor_key == bindparam("key"),
                                          _actions.c.client_id == bindparam("the_id"))


def stored_result(connection: Connection, key: str, client_id: str) -> dict | None:
    """The result kept for this client id, marked as a repeat, or None.

    Read on `connection`, so within a transaction it also sees ids stored earlier in it.
    """
    row = connection.execute(_STORED, {"key": key, "the_id": client_id}).scalar()
    return None if row is None else {**json.loads(row), "repeat": True}


def stored_result_now(key: str, client_id: str) -> dict | None:
    """`stored_result` in a fresh transaction: sees what other requests have committed."""
    db.session.rollback()
    return stored_result(db.session.connection(), key, client_id)


def run_once(actor: Actor, workshop_id: int, client_id, action: str,
             perform: Callable[[Unit], dict]) -> dict:
    """Run `perform` in a unit of work unless this client id already ran; return its result.

    The id is stored in the same transaction as the change, under a unique constraint, so two
    copies racing each other still make one change: the loser reads back the winner's result.
    """
    refuse_if_open()
    client_id = check_client_id(client_id)
    key = actor_key(actor)
    if client_id and (previous := stored_result_now(key, client_id)) is not None:
        return previous
    try:
        with unit_of_work(actor) as unit:
            result = perform(unit)
            if client_id:
                unit.session.add(ClientAction(workshop_id=workshop_id, actor_key=key,
                                              client_id=client_id, action=action,
                                              result=result_json(result)))
                unit.session.flush()
            return result
    except IntegrityError:
        previous = stored_result_now(key, client_id) if client_id else None
        if previous is None:
            raise
        return previous
