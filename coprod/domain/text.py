"""Limits and cleaning for every piece of text people type."""

import re
import unicodedata

from .errors import InvalidInput

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
    "display_name": 80,
    "email": 254,
}

_SPACES = re.compile(r"\s+")


def limit_hint(limit: str) -> str:
    """The limit in words, for the hint under a field."""
    return f"Up to {LIMITS[limit]} characters."


def clean_line(value, *, limit: str, field: str, label: str, required: bool = True) -> str:
    """Return `value` as one tidy line, or raise InvalidInput with a kind message.

    Whitespace runs become one space and control characters are refused, so what is stored is
    exactly what the projector shows.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{label} must be text.", field=field)
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput(f"{label} has a character we cannot show. Please retype it.", field=field)
    if required and not text:
        raise InvalidInput(f"Please write something for {label.lower()}.", field=field)
    maximum = LIMITS[limit]
    if len(text) > maximum:
        raise InvalidInput(
            f"{label} can be up to {maximum} characters. This one has {len(text)}.", field=field
        )
    return text
