"""Accounts: the setup link, creating users, signing in and out, changing passwords."""

import hashlib
import math
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import accounts as rules
from ..domain.access import AccountRole
from ..domain.actors import Actor
from ..domain.clock import utcnow
from ..domain.errors import Conflict, Forbidden, InvalidInput
from ..domain.text import clean_line
from ..extensions import db
from ..models import SetupToken, User
from .unit import unit_of_work

SIGN_IN_FAILED = "That email and password do not match. Please check them and try again."
FAILED_LOGINS = "coprod.failed_logins"


@dataclass(frozen=True)
class NewAccount:
    email: str
    display_name: str
    role: str
    password: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_accounts() -> bool:
    """Whether anyone can sign in yet."""
    return db.session.scalar(select(func.count(User.id))) > 0


def issue_setup_token() -> str | None:
    """A fresh one-time setup token while there are no accounts (older ones stop working)."""
    if has_accounts():
        return None
    token = secrets.token_urlsafe(24)
    with unit_of_work(Actor.system()) as unit:
        unit.session.execute(update(SetupToken).where(SetupToken.used_at.is_(None))
                             .values(used_at=utcnow()))
        unit.session.add(SetupToken(token_hash=_token_hash(token)))
        unit.audit("setup.link_issued", {}, workshop_id=None)
    return token


def setup_token_valid(token: str) -> bool:
    """Whether the setup link can still be used."""
    return _live_setup_token(token) is not None and not has_accounts()


def _live_setup_token(token: str) -> SetupToken | None:
    return db.session.scalar(select(SetupToken).where(
        SetupToken.token_hash == _token_hash(token or ""), SetupToken.used_at.is_(None)))


def create_first_facilitator(token: str, account: NewAccount) -> User:
    """Use the setup link to create the first account (a facilitator who is also admin)."""
    with unit_of_work(Actor.system()) as unit:
        setup = _live_setup_token(token)
        if setup is None or has_accounts():
            raise Forbidden("This setup link has already been used. Please sign in instead.")
        setup.used_at = utcnow()
        first = NewAccount(account.email, account.display_name, AccountRole.ADMIN,
                           account.password)
        user = _add_user(unit, first)
        unit.audit("account.created", {"user_id": user.id, "role": user.role, "via": "setup link"},
                   workshop_id=None, actor=Actor.user(user.id, user.role))
    return user


def create_account(actor: Actor, account: NewAccount) -> User:
    """Create an account (from the admin page or the command line)."""
    with unit_of_work(actor) as unit:
        user = _add_user(unit, account)
        unit.audit("account.created", {"user_id": user.id, "role": user.role}, workshop_id=None)
    return user


def _add_user(unit, account: NewAccount) -> User:
    email = rules.clean_email(account.email)
    try:
        role = AccountRole(account.role)
    except ValueError:
        raise InvalidInput("Please choose admin, facilitator, helper or lead.", field="role") from None
    name = clean_line(account.display_name, limit="display_name", field="display_name",
                      label="Name")
    if unit.session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("There is already an account with that email address.", field="email")
    user = User(email=email, display_name=name, role=role.value,
                password_hash=generate_password_hash(rules.check_password(account.password)))
    unit.session.add(user)
    unit.session.flush()
    return user


def authenticate(email: str, password: str, address: str | None = None) -> User:
    """The account these credentials open, or an error; repeated failures make people wait.

    Failures count against the email typed (whether or not it has an account, so a wait never
    tells anyone which emails have one) and against the client's `address`.
    """
    typed = rules.clean_email(email)
    keys = _failure_keys(typed, address)
    failures = _failed_logins()
    _refuse_while_waiting(failures, keys)
    user = db.session.scalar(select(User).where(User.email == typed))
    if user is None or not user.is_enabled:
        # Hash anyway, so a wrong email takes as long as a wrong password.
        check_password_hash(_DUMMY_HASH, password or "")
        failures.failed(keys, utcnow())
        raise InvalidInput(SIGN_IN_FAILED)
    with unit_of_work(Actor.user(user.id, user.role)) as unit:
        user = unit.session.get(User, user.id)
        if check_password_hash(user.password_hash, password or ""):
            # Only the email's count: one good account must not wipe an address's other tries.
            failures.forget(keys[0])
            unit.audit("account.signed_in", {"user_id": user.id}, workshop_id=None)
            return user
        count = failures.failed(keys, utcnow())
        unit.audit("account.sign_in_failed", {"user_id": user.id, "failures": count},
                   workshop_id=None)
    raise InvalidInput(SIGN_IN_FAILED)


def _failure_keys(typed_email: str, address: str | None) -> list[tuple[str, str]]:
    # Kept as a hash: counting needs no one's email in plain text.
    keys = [("email", _token_hash(typed_email))]
    if address:
        keys.append(("address", address))
    return keys


def _refuse_while_waiting(failures: "FailedLogins", keys: list[tuple[str, str]]) -> None:
    remaining = failures.wait_seconds(keys, utcnow())
    if remaining > 0:
        seconds = f"{remaining} second{'s' if remaining != 1 else ''}"
        raise Forbidden(f"There have been several tries that did not work. Please wait "
                        f"{seconds}, then try again.")


class FailedLogins:
    """Failed sign-ins in a row per key (an email typed, a client address), kept in this process.

    In memory rather than in the database: counting unknown emails and addresses needs no table,
    and a restart only gives an attacker a fresh start at the slowest pace.
    """

    FREE = {"email": rules.FREE_FAILURES, "address": rules.ADDRESS_FREE_FAILURES}
    FORGET_AFTER = timedelta(seconds=rules.FORGET_FAILURES_AFTER_SECONDS)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # key -> (failures in a row, time of the last one), oldest failure first
        self._tries: dict[tuple[str, str], tuple[int, datetime]] = {}

    def wait_seconds(self, keys: list[tuple[str, str]], now: datetime) -> int:
        """How many more seconds the longest-waiting key must wait (0: try now)."""
        with self._lock:
            self._forget_old(now)
            return max((self._remaining(key, now) for key in keys), default=0)

    def failed(self, keys: list[tuple[str, str]], now: datetime) -> int:
        """Count one more failure for each key; returns the first key's count."""
        with self._lock:
            self._forget_old(now)
            counts = []
            for key in keys:
                count = self._tries.pop(key, (0, now))[0] + 1
                self._tries[key] = (count, now)  # re-added, so the dict stays oldest first
                counts.append(count)
            return counts[0]

    def forget(self, key: tuple[str, str]) -> None:
        """Start this key's count again (after a successful sign-in)."""
        with self._lock:
            self._tries.pop(key, None)

    def _remaining(self, key: tuple[str, str], now: datetime) -> int:
        count, last = self._tries.get(key, (0, now))
        delay = rules.login_delay_seconds(count, self.FREE[key[0]])
        return max(0, math.ceil((last + timedelta(seconds=delay) - now).total_seconds()))

    def _forget_old(self, now: datetime) -> None:
        while self._tries:
            key, (_, last) = next(iter(self._tries.items()))
            if now - last < self.FORGET_AFTER:
                break
            del self._tries[key]


def _failed_logins() -> FailedLogins:
    # One per app (as the voting caches are), so each test's app starts with a clean slate.
    failures = current_app.extensions.get(FAILED_LOGINS)
    return failures if failures is not None else \
        current_app.extensions.setdefault(FAILED_LOGINS, FailedLogins())


def end_sessions(user_id: int) -> None:
    """Sign the account out everywhere: older cookies and live sockets stop working."""
    with unit_of_work(Actor.system()) as unit:
        user = unit.session.get(User, user_id)
        user.session_epoch += 1
        unit.audit("account.signed_out", {"user_id": user_id}, workshop_id=None,
                   actor=Actor.user(user.id, user.role))


def change_password(user_id: int, current: str, new: str) -> User:
    """Change a password after checking the current one; other sessions are signed out."""
    with unit_of_work(Actor.system()) as unit:
        user = unit.session.get(User, user_id)
        if not check_password_hash(user.password_hash, current or ""):
            raise InvalidInput("Your current password is not right. Please try again.",
                               field="current_password")
        user.password_hash = generate_password_hash(rules.check_password(new))
        user.session_epoch += 1
        unit.audit("account.password_changed", {"user_id": user.id}, workshop_id=None,
                   actor=Actor.user(user.id, user.role))
    return user


def load_session_user(session_id: str) -> User | None:
    """The account behind a Flask-Login id "<user id>:<epoch>", if that session is still live."""
    try:
        user_id, epoch = (int(part) for part in session_id.split(":"))
    except (AttributeError, ValueError):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_epoch != epoch or not user.is_enabled:
        return None
    return user


def display_name(user_id: int | None) -> str | None:
    """The name an account shows in coprod (for "saved by" and "agreed by")."""
    return db.session.scalar(select(User.display_name).where(User.id == user_id)) \
        if user_id else None


def list_accounts() -> list[User]:
    """Every account, for the admin page."""
    return list(db.session.scalars(select(User).order_by(User.display_name)))


_DUMMY_HASH = generate_password_hash("not a real password")
