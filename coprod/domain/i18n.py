"""Words that wait to be read: the domain marks what people read, the app translates it.

The domain stays plain Python: `_("...")` and `ngettext(...)` return a `Message` that keeps its
English message id and its values. It becomes text only when shown (`str()`, a page, a JSON
reply), in the reader's language, through the translator the app installs at start-up
(coprod/language.py, Flask-Babel). Without one (a plain script, a domain test) it reads as English.

Placeholders are named, `%(count)s`, so a translation can put them in any order.
"""

from collections.abc import Callable

# (message id, plural id or None, count or None) -> the translated pattern. English until the
# app installs Flask-Babel's.
Translator = Callable[[str, str | None, int | None], str]


def _english(singular: str, plural: str | None, count: int | None) -> str:
    return plural if plural is not None and count != 1 else singular


_translator: Translator = _english


def install_translator(translator: Translator | None) -> None:
    """Have every Message read through `translator` (None: back to plain English)."""
    global _translator
    _translator = translator or _english


class Message:
    """A sentence or label people read, translated each time it is turned into text."""

    __slots__ = ("msgid", "plural", "count", "values")

    def __init__(self, msgid: str, plural: str | None = None, count: int | None = None, **values):
        self.msgid, self.plural, self.count, self.values = msgid, plural, count, values

    def __str__(self) -> str:
        pattern = _translator(self.msgid, self.plural, self.count)
        values = {name: str(value) if isinstance(value, Message) else value
                  for name, value in self.values.items()}
        if self.count is not None:
            values.setdefault("count", self.count)
        try:
            return pattern % values if values else pattern
        except (KeyError, ValueError, TypeError):
            # A translation with a broken placeholder: the English still reads right.
            english = _english(self.msgid, self.plural, self.count)
            return english % values if values else english

    def __repr__(self) -> str:
        return f"Message({self.msgid!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other) -> bool:
        if isinstance(other, Message):
            return (self.msgid, self.plural, self.count, self.values) == (
                other.msgid, other.plural, other.count, other.values)
        return str(self) == other

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __add__(self, other) -> str:
        return str(self) + str(other)

    def __radd__(self, other) -> str:
        return str(other) + str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __contains__(self, part: str) -> bool:
        return part in str(self)

    def lower(self) -> str:
        """The text in lower case (for a label used inside a sentence)."""
        return str(self).lower()


def _(msgid: str, **values) -> Message:
    """Mark `msgid` for the catalogue; it is translated when shown."""
    return Message(msgid, **values)


def ngettext(singular: str, plural: str, count: int | None = None, **values) -> Message:
    """Mark a message whose wording depends on `count` (Welsh has six forms, English two).

    With no count (a page script's words), the browser chooses the wording by its number."""
    return Message(singular, plural, count, **values)


def read_all(value):
    """`value` with every Message in it (in dicts, lists and tuples too) read as text now, in the
    language in force: for JSON that is encoded later, when the reader's language is gone."""
    if isinstance(value, Message):
        return str(value)
    if isinstance(value, dict):
        return {key: read_all(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [read_all(item) for item in value]
    return value


def text(value) -> str | None:
    """`value` as text in the reader's language (None stays None)."""
    return None if value is None else str(value)
