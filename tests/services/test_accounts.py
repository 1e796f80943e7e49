"""Accounts: the setup link, sign-in with slow-downs after failures, passwords, sign-out."""

import time
from datetime import timedelta
from types import SimpleNamespace

import limits.storage.memory
import pytest

from coprod.domain.errors import Conflict, Forbidden, InvalidInput
from coprod.services import accounts, audit, throttle
from coprod.services.throttle import TooManyTries

from ..factories import PASSWORD, make_user


def test_the_setup_link_works_once_and_makes_an_admin(app):
    token = accounts.issue_setup_token()
    assert accounts.setup_token_valid(token)
    user = accounts.create_first_facilitator(token, accounts.NewAccount(
        "Lead.Facilitator@Example.org", "Alex", "facilitator", PASSWORD))
    assert user.role == "admin" and user.email == "lead.facilitator@example.org"
    assert not accounts.setup_token_valid(token)
    with pytest.raises(Forbidden):
        accounts.create_first_facilitator(token, accounts.NewAccount(
            "second@example.org", "Sam", "facilitator", PASSWORD))
    assert accounts.issue_setup_token() is None


def test_issuing_a_new_setup_link_cancels_the_old_one(app):
    first = accounts.issue_setup_token()
    second = accounts.issue_setup_token()
    assert not accounts.setup_token_valid(first) and accounts.setup_token_valid(second)


def test_passwords_are_hashed_not_stored(app):
    user = make_user()
    assert PASSWORD not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_sign_in_with_the_right_password(app):
    user = make_user()
    assert accounts.authenticate(user.email.upper(), PASSWORD).id == user.id


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(app):
    user = make_user()
    with pytest.raises(InvalidInput) as wrong:
        accounts.authenticate(user.email, "not the password")
    with pytest.raises(InvalidInput) as unknown:
        accounts.authenticate("nobody@example.org", PASSWORD)
    assert wrong.value.message == unknown.value.message


class Clock:
    """Moves the throttle's clock (and its in-memory counts' clock) forward, as if time passed."""

    def __init__(self, monkeypatch):
        self.offset = 0.0
        fake = SimpleNamespace(time=lambda: time.time() + self.offset)
        monkeypatch.setattr(limits.storage.memory, "time", fake)
        monkeypatch.setattr(throttle, "time", fake)

    def later(self, **elapsed) -> None:
        self.offset += timedelta(**elapsed).total_seconds()


def fail(email, times, address=None, password="wrong guess", device=None):
    for _ in range(times):
        with pytest.raises(InvalidInput):
            accounts.authenticate(email, password, address, device)


def test_repeated_failures_make_the_next_try_wait(app, monkeypatch):
    clock = Clock(monkeypatch)
    user = make_user()
    fail(user.email, 5)
    with pytest.raises(TooManyTries) as waiting:
        accounts.authenticate(user.email, PASSWORD)  # even the right password must wait
    assert "Please wait" in waiting.value.message and 30 < waiting.value.retry_after <= 60
    clock.later(minutes=1)
    assert accounts.authenticate(user.email, PASSWORD).id == user.id


def test_a_patient_guesser_is_held_to_twenty_tries_an_hour(app, monkeypatch):
    clock = Clock(monkeypatch)
    user = make_user()
    for _ in range(4):
        fail(user.email, 5)
        clock.later(minutes=1)
    with pytest.raises(TooManyTries) as waiting:
        accounts.authenticate(user.email, PASSWORD)
    assert "minutes" in waiting.value.message and waiting.value.retry_after > 50 * 60


def test_an_unknown_email_is_slowed_exactly_like_a_known_one(app):
    user = make_user()
    waits = []
    for email in (user.email, "nobody@example.org"):
        fail(email, 5)
        with pytest.raises(TooManyTries) as waiting:
            accounts.authenticate(email, PASSWORD)
        waits.append(waiting.value.message)
    assert waits[0] == waits[1]


def test_one_address_trying_many_accounts_is_slowed(app):
    users = [make_user() for _ in range(3)]
    emails = [user.email for user in users] + [f"guess{n}@example.org" for n in range(7)]
    for email in emails:  # one password tried once on each account: no email reaches its limit
        fail(email, 1, address="203.0.113.9", password="Summer2027!")
    with pytest.raises(TooManyTries) as waiting:
        accounts.authenticate("another@example.org", PASSWORD, "203.0.113.9")
    assert "Please wait" in waiting.value.message
    # Someone elsewhere, and the same accounts from another address, are not held up.
    assert accounts.authenticate(users[0].email, PASSWORD, "198.51.100.7").id == users[0].id


def test_a_known_device_keeps_signing_in_while_the_account_is_hammered(app):
    user = make_user()
    signed_in = accounts.authenticate(user.email, PASSWORD, "192.0.2.10")
    device = accounts.new_device_token(signed_in)  # the cookie the owner's laptop now keeps
    for _ in range(30):  # an attacker elsewhere, with no device cookie, refused after 5
        with pytest.raises((InvalidInput, TooManyTries)):
            accounts.authenticate(user.email, "a guess", "203.0.113.66")
    with pytest.raises(TooManyTries):
        accounts.authenticate(user.email, PASSWORD, "198.51.100.20")  # a new device must wait
    # The owner's laptop mistypes twice, then gets in: its own bucket was never touched.
    fail(user.email, 2, address="192.0.2.10", device=device)
    assert accounts.authenticate(user.email, PASSWORD, "192.0.2.10", device).id == user.id


def test_a_known_device_has_a_small_bucket_of_its_own(app):
    user = make_user()
    device = accounts.new_device_token(accounts.authenticate(user.email, PASSWORD))
    fail(user.email, 5, address="192.0.2.10", device=device)
    with pytest.raises(TooManyTries):
        accounts.authenticate(user.email, PASSWORD, "192.0.2.10", device)
    # That device's failures did not count against the account for other devices.
    assert accounts.authenticate(user.email, PASSWORD, "192.0.2.11").id == user.id


def test_a_device_cookie_counts_only_for_the_account_it_names(app):
    owner, other = make_user(), make_user()
    device = accounts.new_device_token(accounts.authenticate(owner.email, PASSWORD))
    fail(other.email, 5, device=device)  # the owner's cookie does not make this device known
    with pytest.raises(TooManyTries):
        accounts.authenticate(other.email, PASSWORD, None, device)


def test_a_forged_or_altered_device_cookie_is_an_unknown_device(app):
    user = make_user()
    device = accounts.new_device_token(accounts.authenticate(user.email, PASSWORD))
    assert accounts.read_device_token(device).user_id == user.id
    assert accounts.read_device_token(device[:-2] + "xx") is None
    assert accounts.read_device_token("not a token") is None
    assert accounts.read_device_token(None) is None


def test_failed_sign_ins_are_in_the_audit_trail_with_their_count(app):
    user = make_user()
    fail(user.email, 2)
    failed = [event for event in audit.events_for(None, newest_first=False)
              if event.action == "account.sign_in_failed"]
    assert [event.payload["failures"] for event in failed] == [1, 2]
    assert all(event.payload["known_device"] is False for event in failed)


def test_a_duplicate_email_is_refused(app):
    make_user(email="sam@example.org")
    with pytest.raises(Conflict):
        make_user(email="SAM@example.org")


def test_changing_the_password_ends_other_sessions(app):
    user = make_user()
    old_session = user.get_id()
    with pytest.raises(InvalidInput):
        accounts.change_password(user.id, "wrong current", "a brand new password")
    accounts.change_password(user.id, PASSWORD, "a brand new password")
    assert accounts.load_session_user(old_session) is None
    assert accounts.authenticate(user.email, "a brand new password")


def test_signing_out_ends_every_session(app):
    user = make_user()
    session_id = user.get_id()
    assert accounts.load_session_user(session_id).id == user.id
    accounts.end_sessions(user.id)
    assert accounts.load_session_user(session_id) is None


def test_account_changes_are_on_the_system_chain(app):
    user = make_user()
    accounts.change_password(user.id, PASSWORD, "a brand new password")
    check = audit.verify(None)
    assert check.ok and check.events >= 2


def test_new_accounts_and_new_passwords_are_checked_against_common_and_personal_ones(app):
    with pytest.raises(InvalidInput) as common:
        make_user(password="password12")
    assert "most common" in common.value.message
    with pytest.raises(InvalidInput) as personal:
        make_user(email="megan.jones@example.org", name="Megan Jones", password="meganjones2027")
    assert "name or email address" in personal.value.message
    user = make_user(email="sam.lee@example.org", name="Sam Lee")
    with pytest.raises(InvalidInput):
        accounts.change_password(user.id, PASSWORD, "samlee123456")
    assert accounts.authenticate(user.email, PASSWORD).id == user.id  # unchanged
