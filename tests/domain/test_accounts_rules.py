import pytest

from coprod.domain.accounts import (
    TOO_COMMON,
    TOO_PERSONAL,
    check_password,
    clean_email,
    common_passwords,
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


def test_the_common_password_list_is_the_shipped_one():
    listed = common_passwords()
    assert len(listed) > 19_000 and "password" in listed and "correct horse battery" not in listed


def test_common_passwords_are_refused_even_dressed_up():
    for common in ("1234567890", "password12", "Password-123!", "QWERTYUIOP", " iloveyou12 "):
        with pytest.raises(InvalidInput) as raised:
            check_password(common)
        assert raised.value.message == TOO_COMMON and raised.value.field == "password"


def test_a_password_made_of_your_own_name_or_email_is_refused():
    for password in ("alexsmith2024", "Alex.Smith.123456", "alex.smith@nhs.wales",
                     "smith-password"):
        with pytest.raises(InvalidInput) as raised:
            check_password(password, "alex.smith@nhs.wales", "Alex Smith")
        assert raised.value.message == TOO_PERSONAL
    # The same passwords are fine for someone else.
    assert check_password("alexsmith2024", "sam@example.org", "Sam Jones") == "alexsmith2024"


def test_long_passphrases_are_welcome_without_composition_rules():
    for passphrase in ("four words go here", "alex rides purple bikes on sundays",
                       "ffffffffffffffffffff tea cups", "all lower case no digits at all"):
        assert check_password(passphrase, "alex@example.org", "Alex Smith") == passphrase
