"""The sentences each live page's script writes, sent with the page in the reader's language.

Scripts hold no words of their own (nothing people read is written in JavaScript): each page
has a module here whose WORDS map a key to a marked message, and the page's script reads them
with `say(key, values)` (static/js/live.js). `live` holds the words every live page shares.
A message that depends on a number is marked with `ngettext` and no count: the page gets one
wording per plural category of its language (Welsh has six) and picks with Intl.PluralRules.
"""

from importlib import import_module

from ...domain import labels
from ...domain.i18n import Message, read_all
from ...language import LANGUAGES, in_language, plural_forms

PAGES = ("live", "phone", "console", "projector", "builder")


def page_words(page: str = "") -> dict:
    """The words the shared live script and `page`'s script need, as plain JSON."""
    words = {}
    for name in ("live", page) if page and page != "live" else ("live",):
        words.update({key: _as_json(message) for key, message in words_of(name).items()})
    return words


def in_both_languages(page: str = "") -> dict:
    """The page's words and the fixed-value labels in Welsh and in English, for a screen that
    shows both at once (the bilingual wall): {"cy": {"words", "labels"}, "en": {...}}."""
    both = {}
    for code in LANGUAGES:
        with in_language(code):
            both[code] = {"words": page_words(page), "labels": read_all(labels.for_front_end())}
    return both


def words_of(page: str) -> dict:
    """The marked messages of one page (unread: for checks and tests)."""
    if page not in PAGES:
        raise ValueError(f"no words for the page {page!r}")
    return import_module(f"{__name__}.{page}").WORDS


def _as_json(message: Message):
    if message.plural is not None and message.count is None:
        return plural_forms(message.msgid, message.plural, **message.values)
    return str(message)

