"""Accounts: the setup link, sign-in with slow-downs after failures, passwords, sign-out."""

from datetime import timedelta

import pytest

from coprod.domain.errors import Conflict, Forbidden, InvalidInput
from coprod.services import accounts, audit

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


def later(monkeypatch, **elapsed):
    """Move the sign-in clock forward, as if time had passed."""
    now = accounts.utcnow() + timedelta(**elapsed)
    monkeypatch.setattr(accounts, "utcnow", lambda: now)


def fail(email, times, address=None, password="wrong guess"):
    for _ in range(times):
        with pytest.raises(InvalidInput):
            accounts.authenticate(email, password, address)


def test_repeated_failures_make_the_next_try_wait(app, monkeypatch):
    user = make_user()
    fail(user.email, 3)
    with pytest.raises(Forbidden) as waiting:
        accounts.authenticate(user.email, PASSWORD)  # even the right password must wait
    assert "Please wait" in waiting.value.message
    later(monkeypatch, minutes=5)
    assert accounts.authenticate(user.email, PASSWORD).id == user.id
    fail(user.email, 3)  # signing in started the count again


def test_an_unknown_email_is_slowed_exactly_like_a_known_one(app):
    user = make_user()
    waits = []
    for email in (user.email, "nobody@example.org"):
        fail(email, 3)
        with pytest.raises(Forbidden) as waiting:
            accounts.authenticate(email, PASSWORD)
        waits.append(waiting.value.message)
    assert waits[0] == waits[1]
    assert "Please wait 2 seconds" in waits[1]


def test_one_address_trying_many_accounts_is_slowed(app):
    users = [make_user() for _ in range(3)]
    emails = [user.email for user in users] + [f"guess{n}@example.org" for n in range(7)]
    for email in emails:  # one password tried once on each account: no email reaches its limit
        fail(email, 1, address="203.0.113.9", password="Summer2027!")
    with pytest.raises(Forbidden) as waiting:
        accounts.authenticate("another@example.org", PASSWORD, "203.0.113.9")
    assert "Please wait" in waiting.value.message
    # Someone elsewhere, and the same accounts from another address, are not held up.
    assert accounts.authenticate(users[0].email, PASSWORD, "198.51.100.7").id == users[0].id


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
