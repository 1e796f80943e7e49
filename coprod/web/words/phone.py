"""The words of the phone page's script (see coprod/web/words/__init__.py)."""

from ...domain.i18n import _, ngettext  # noqa: F401  (ngettext: wordings that depend on a number)

WORDS = {
}
