"""Accounts: the setup link, creating users, signing in and out, changing passwords."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import accounts as rules
from ..domain.access import AccountRole
from ..domain.actors import Actor
from ..domain.clock import utcnow
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.i18n import _
from ..domain.text import clean_line
from ..extensions import db
from ..models import Participant, SetupToken, User
from . import throttle
from .events import AccessEnded
from .unit import unit_of_work

SIGN_IN_FAILED = _("That email and password do not match. Please check them and try again.")
# A device stays known for a year after its last sign-in (each sign-in renews the cookie).
DEVICE_COOKIE_MAX_AGE = int(timedelta(days=365).total_seconds())
SIGNED_OUT = _("You have been signed out. Please sign in again.")
SIGNED_OUT_VOTING = _("You have been signed out, so voting as you has stopped on this screen. "
                      "Please sign in again to carry on.")
PASSWORD_CHANGED = _("Your password was changed, so this screen was closed. Please reload the "
                     "page, or sign in again with the new password.")
SWITCHED_OFF = _("This account has been switched off by an administrator, so this screen was "
                 "closed. Please speak to them if you think this is a mistake.")


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
            raise Forbidden(_("This setup link has already been used. Please sign in instead."))
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
        raise InvalidInput(_("Please choose admin, facilitator, helper or lead."),
                           field="role") from None
    name = clean_line(account.display_name, limit="display_name", field="display_name",
                      label=_("Name"))
    if unit.session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(_("There is already an account with that email address."), field="email")
    user = User(email=email, display_name=name, role=role.value,
                password_hash=generate_password_hash(
                    rules.check_password(account.password, email, name)))
    unit.session.add(user)
    unit.session.flush()
    return user


def authenticate(email: str, password: str, address: str | None = None,
                 device_token: str | None = None) -> User:
    """The account these credentials open, or an error; repeated failures make people wait.

    Following OWASP's advice on lock-out, a device that signed in to this account before (its
    `device_token`, from `new_device_token`) has a bucket of its own, so it keeps signing in
    while someone elsewhere hammers the account. Failures from any other device count against
    the email typed (whether or not it has an account, so a wait tells no one which emails have
    one) and against the client's `address`. Raises throttle.TooManyTries while a bucket is full.
    """
    typed = rules.clean_email(email)
    user = db.session.scalar(select(User).where(User.email == typed))
    device = read_device_token(device_token)
    known_device = user is not None and device is not None and device.user_id == user.id
    buckets = _sign_in_buckets(typed, address, device if known_device else None)
    throttle.refuse_while_full(buckets, throttle.PAUSED_SIGN_INS)
    if user is None or not user.is_enabled:
        # Hash anyway, so a wrong email takes as long as a wrong password.
        check_password_hash(_DUMMY_HASH, password or "")
        throttle.count_failure(buckets)
        raise InvalidInput(SIGN_IN_FAILED)
    with unit_of_work(Actor.user(user.id, user.role)) as unit:
        user = unit.session.get(User, user.id)
        if check_password_hash(user.password_hash, password or ""):
            if known_device:  # the untrusted and address counts stand: they are not this device's
                throttle.forget(buckets[0])
            unit.audit("account.signed_in", {"user_id": user.id}, workshop_id=None)
            return user
        count = throttle.count_failure(buckets)
        unit.audit("account.sign_in_failed",
                   {"user_id": user.id, "failures": count, "known_device": known_device},
                   workshop_id=None)
    raise InvalidInput(SIGN_IN_FAILED)


def _sign_in_buckets(typed_email: str, address: str | None,
                     device: "Device | None") -> list[throttle.Bucket]:
    if device is not None:
        return [throttle.Bucket("sign-in-device", device.nonce, throttle.SIGN_IN_KNOWN_DEVICE)]
    # Kept as a hash: counting needs no one's email in plain text.
    buckets = [throttle.Bucket("sign-in-untrusted", _token_hash(typed_email),
                               throttle.SIGN_IN_UNTRUSTED)]
    if address:
        buckets.append(throttle.Bucket("sign-in-address", throttle.address_key(address),
                                       throttle.SIGN_IN_PER_ADDRESS))
    return buckets


@dataclass(frozen=True)
class Device:
    """A browser that signed in to an account before (from its signed device cookie)."""

    user_id: int
    nonce: str


def new_device_token(user: User) -> str:
    """A signed token naming this account and a fresh device, for the long-lived device cookie."""
    return _device_signer().dumps({"user": user.id, "nonce": secrets.token_urlsafe(16)})


def read_device_token(token: str | None) -> Device | None:
    """The device a token names, or None when it is missing, forged or too old."""
    if not token:
        return None
    try:
        data = _device_signer().loads(token, max_age=DEVICE_COOKIE_MAX_AGE)
        return Device(int(data["user"]), str(data["nonce"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="coprod.device")


def end_sessions(user_id: int) -> list[int]:
    """Sign the account out everywhere: older cookies and live sockets stop working, and so do
    its "Vote too" screens. Returns those participants' ids, for the browser to forget."""
    with unit_of_work(Actor.system()) as unit:
        user = unit.session.get(User, user_id)
        user.session_epoch += 1
        unit.audit("account.signed_out", {"user_id": user_id}, workshop_id=None,
                   actor=Actor.user(user.id, user.role))
        unit.events.append(AccessEnded.account(user_id, "signed_out", "signed_out"))
        return _end_voting_too(unit, user_id, "signed_out_voting")


def _end_voting_too(unit, user_id: int, reason: str) -> list[int]:
    # The account's "Vote too" phones are its own screens too: they close with it.
    voting_as = list(unit.session.scalars(select(Participant.id).where(
        Participant.user_id == user_id)))
    unit.events.extend(AccessEnded.participant(participant_id, reason)
                       for participant_id in voting_as)
    return voting_as


def change_password(user_id: int, current: str, new: str) -> User:
    """Change a password after checking the current one; other sessions are signed out."""
    with unit_of_work(Actor.system()) as unit:
        user = unit.session.get(User, user_id)
        if not check_password_hash(user.password_hash, current or ""):
            raise InvalidInput(_("Your current password is not right. Please try again."),
                               field="current_password")
        user.password_hash = generate_password_hash(
            rules.check_password(new, user.email, user.display_name))
        user.session_epoch += 1
        unit.audit("account.password_changed", {"user_id": user.id}, workshop_id=None,
                   actor=Actor.user(user.id, user.role))
        unit.events.append(AccessEnded.account(user.id, "password_changed", "signed_out"))
    return user


def set_enabled(actor: Actor, user_id: int, enabled: bool) -> User:
    """Switch an account off (it cannot sign in, and its open screens close) or back on.

    Only an administrator may, and not for their own account, so coprod always keeps one way in.
    """
    if actor.role != AccountRole.ADMIN:
        raise Forbidden(_("Only an administrator can switch accounts off or on."))
    if actor.user_id == user_id:
        raise Conflict(_("You cannot switch off your own account. Ask another administrator."))
    with unit_of_work(actor) as unit:
        user = unit.session.get(User, user_id)
        if user is None:
            raise NotFound(_("We could not find that account."))
        if user.is_enabled != enabled:
            user.is_enabled = enabled
            user.session_epoch += 1  # cookies from before stay dead, even once switched on
            unit.audit("account.enabled" if enabled else "account.disabled",
                       {"user_id": user.id}, workshop_id=None)
            if not enabled:
                unit.events.append(AccessEnded.account(user.id, "switched_off"))
                _end_voting_too(unit, user.id, "switched_off")
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
