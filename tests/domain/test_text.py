import unicodedata

import pytest

from coprod.domain.errors import InvalidInput
from coprod.domain.text import LIMITS, clean_line, split_lines


def card(value):
    return clean_line(value, limit="card_text", field="text", label="Your idea")


def test_whitespace_is_tidied():
    assert card("  Helps   people\n find support  ") == "Helps people find support"


def test_empty_text_gets_a_kind_message():
    with pytest.raises(InvalidInput) as raised:
        card("   ")
    assert raised.value.message == "Your idea: please write something."
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


UNSTORABLE = {
    "NUL (PostgreSQL cannot store it)": "Helps\x00people",
    "a bell": "bell \x07 here",
    "an information separator": "Carer\x1cStaff",
    "a C1 control": "Helps\x9bpeople",
    "a lone surrogate (JSON can carry one)": "Helps \ud800 people",
    "a noncharacter": "Helps people\uffff",
}


@pytest.mark.parametrize("value", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_text_that_cannot_be_stored_exactly_is_refused_on_its_field(value):
    with pytest.raises(InvalidInput) as raised:
        card(value)
    assert raised.value.message == "Your idea has a character we cannot show. Please retype it."
    assert raised.value.field == "text"


def test_white_space_controls_become_spaces():
    # Text pasted from slides or documents may carry tabs, form feeds or line separators.
    assert card("Helps\tpeople\x0bfind\x0csupport\x85now\u2028today") == \
        "Helps people find support now today"


UNUSUAL_BUT_VALID = ("Gweithiwr cymorth ŵ ŷ â", "Helps families 👩‍👩‍👧 feel heard 🌱",
                     "يساعد الناس", "עוזר לאנשים", "Zero\u200dwidth joiner", "e\u0301 composed")


@pytest.mark.parametrize("value", UNUSUAL_BUT_VALID)
def test_unusual_but_valid_text_is_kept(value):
    cleaned = card(value)
    assert cleaned == unicodedata.normalize("NFC", value)
    cleaned.encode("utf-8")  # storable as it is


def test_a_one_item_per_line_box_splits_only_at_real_line_breaks():
    assert split_lines("Carer\r\nStaff\rThird sector\n\n  \nPeer\x1cworker", field="groups",
                       label="Groups") == ["Carer", "Staff", "Third sector", "Peer\x1cworker"]
    assert split_lines(None, field="groups", label="Groups") == []
    with pytest.raises(InvalidInput) as raised:
        clean_line(split_lines("Carer\nPeer\x1cworker", field="groups", label="Groups")[1],
                   limit="constituency", field="groups", label="A group name")
    assert raised.value.field == "groups"
