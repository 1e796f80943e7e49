"""Limits and cleaning for every piece of text people type."""

import re
import unicodedata

from .errors import InvalidInput
from .i18n import Message, _

# Shown next to each field, so people know the limit before they reach it.
LIMITS = {
    "card_text": 280,
    "workshop_title": 120,
    "venue": 120,
    "nickname": 40,
    "constituency": 60,
    "role_title": 80,
    "role_setting": 120,
    "role_purpose": 280,
    "hide_reason": 200,
    "sign_off_note": 200,
    "display_name": 80,
    "email": 254,
    "outline_line": 400,
    "outline_purpose": 400,
    "reporting_lines": 400,
    "project_title": 120,
    "project_purpose": 600,
    "population_need": 600,
    "milestone_title": 120,
    "evidence_title": 120,
    "evidence_summary": 600,
    "evidence_source": 200,
    "evidence_url": 500,
    "what_happens": 600,
    "duration": 80,
    "expenses": 600,
}

# The database's INTEGER: every id, count and setting a client sends must fit it, or a query
# would fail with an overflow instead of a kind answer.
LARGEST_INTEGER = 2**31 - 1
TOO_LARGE = _("That number is too large. Please check it and try again.")
UNSHOWABLE = _("That has a character we cannot show. Please retype it.")

_WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+\s*")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
# The control characters that are white space (tab, line breaks, form feed, next line): they
# become spaces like any other white space. Every other control character is refused.
_WHITE_SPACE_CONTROLS = frozenset("\t\n\x0b\x0c\r\x85")


def limit_hint(limit: str) -> Message:
    """The limit in words, for the hint under a field."""
    return _("Up to %(count)s characters.", count=LIMITS[limit])


def clean_line(value, *, limit: str, field: str, label, required: bool = True) -> str:
    """Return `value` as one tidy line, or raise InvalidInput with a kind message.

    The one rule for every line people type: white space (line breaks and tabs included) becomes
    single spaces, and text that could not be stored or shown exactly is refused. `label` names
    the box (a marked Message, capitalised: "Your idea"); each message is a whole sentence that
    starts with it, so a translation never has to change the label's first letter.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_not_text(label), field=field)
    refuse_unstorable(value, field=field, label=label)
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    if required and not text:
        # Translators: %(label)s names the box that was left empty, e.g. "Your idea".
        raise InvalidInput(_("%(label)s: please write something.", label=label), field=field)
    maximum = LIMITS[limit]
    if len(text) > maximum:
        raise InvalidInput(_("%(label)s can be up to %(count)s characters. This one has %(length)s.",
                             label=label, count=maximum, length=len(text)), field=field)
    return text


def split_lines(value, *, field: str, label) -> list[str]:
    """The non-blank lines of a box that takes one item per line, each still to be cleaned.

    Only real line breaks separate items: any other control character stays in its line, so
    `clean_line` refuses it instead of it silently splitting an item in two.
    """
    if value is None:
        return []
    if not isinstance(value, str):
        raise InvalidInput(_not_text(label), field=field)
    return [line for line in _LINE_BREAKS.split(value) if line.strip()]


def refuse_unstorable(value: str, *, field: str, label) -> None:
    """Refuse text that cannot be stored and shown exactly as typed.

    Control characters other than white space (NUL cannot be stored in PostgreSQL; the rest
    break Word documents and show as nothing), lone surrogates (JSON can carry them, but they
    are not characters and cannot be saved as UTF-8) and noncharacters such as U+FFFF.
    """
    if any(_unstorable(ch) for ch in value):
        raise InvalidInput(_("%(label)s has a character we cannot show. Please retype it.",
                             label=label), field=field)


def _not_text(label) -> Message:
    # Only a script sends something else than text (a list, a number): no form can.
    return _("%(label)s must be text.", label=label)


def _unstorable(ch: str) -> bool:
    if ch in _WHITE_SPACE_CONTROLS:
        return False
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs") or (category == "Cn" and _is_noncharacter(ch))


def _is_noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def number_out_of_range(value: str) -> bool:
    """Whether this text is a whole number too large (or small) for the database to hold."""
    if not _WHOLE_NUMBER.fullmatch(value):
        return False
    digits = value.strip().lstrip("+-").lstrip("0")
    return len(digits) > len(str(LARGEST_INTEGER)) or int(digits or 0) > LARGEST_INTEGER


def has_lone_surrogate(value: str) -> bool:
    """Whether this text holds half of a UTF-16 pair on its own (JSON can carry one, "\\ud800";
    it is not a character and cannot be stored as UTF-8)."""
    return bool(_LONE_SURROGATE.search(value))
