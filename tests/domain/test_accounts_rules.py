import pytest

from coprod.domain.accounts import (
    ADDRESS_FREE_FAILURES,
    FREE_FAILURES,
    MAX_DELAY_SECONDS,
    check_password,
    clean_email,
    login_delay_seconds,
)
from coprod.domain.errors import InvalidInput


def test_emails_are_lower_cased_and_checked():
    assert clean_email("  Sam@Example.ORG ") == "sam@example.org"
    for bad in ("", "sam", "sam@", "@example.org", "sam example@x.org", None):
        with pytest.raises(InvalidInput):
            clean_email(bad)


def test_short_passwords_are_refused_kindly():
    with pytest.raises(InvalidInput) as raised:
        check_password("short")
    assert "at least 10 characters" in raised.value.message
    assert check_password("four words go here") == "four words go here"


def test_failed_logins_wait_longer_and_longer_up_to_a_cap():
    delays = [login_delay_seconds(n) for n in range(0, 20)]
    assert delays[:FREE_FAILURES] == [0] * FREE_FAILURES
    assert all(a <= b for a, b in zip(delays, delays[1:], strict=False))
    assert delays[FREE_FAILURES] > 0
    assert delays[-1] == MAX_DELAY_SECONDS


def test_an_address_may_slip_more_often_than_one_email_before_waiting():
    assert login_delay_seconds(ADDRESS_FREE_FAILURES - 1, ADDRESS_FREE_FAILURES) == 0
    assert login_delay_seconds(ADDRESS_FREE_FAILURES, ADDRESS_FREE_FAILURES) > 0
    assert ADDRESS_FREE_FAILURES > FREE_FAILURES
