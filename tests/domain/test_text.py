import pytest

from coprod.domain.errors import InvalidInput
from coprod.domain.text import LIMITS, clean_line


def card(value):
    return clean_line(value, limit="card_text", field="text", label="Your idea")


def test_whitespace_is_tidied():
    assert card("  Helps   people\n find support  ") == "Helps people find support"


def test_empty_text_gets_a_kind_message():
    with pytest.raises(InvalidInput) as raised:
        card("   ")
    assert raised.value.message == "Please write something for your idea."
    assert raised.value.field == "text"


def test_the_limit_is_named_in_the_message():
    card("x" * LIMITS["card_text"])
    with pytest.raises(InvalidInput) as raised:
        card("x" * (LIMITS["card_text"] + 1))
    assert "up to 280 characters" in raised.value.message
    assert "281" in raised.value.message


def test_control_characters_and_non_text_are_refused():
    with pytest.raises(InvalidInput):
        card("bell \x07 here")
    with pytest.raises(InvalidInput):
        card(["not", "text"])


def test_optional_text_may_be_empty():
    assert clean_line(None, limit="venue", field="venue", label="Venue", required=False) == ""
