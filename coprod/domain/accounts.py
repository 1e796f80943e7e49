"""Account rules: emails and passwords."""

import gzip
import re
from functools import cache
from pathlib import Path

from .errors import InvalidInput
from .i18n import _
from .text import LIMITS, refuse_unstorable

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Django's list of the 20,000 most common passwords (BSD licence: data/LICENSE-common-passwords.txt).
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"
# What must be left of a password once the person's own name and email are taken out of it.
MIN_PERSONAL_REMAINDER = 6
TOO_COMMON = _("That password is one of the most common ones, so it is easy to guess. Please "
               "choose another. A few unrelated words together works well.")
TOO_PERSONAL = _("That password is mostly the name or email address of the account, so it is easy "
                 "to guess. Please choose another. A few unrelated words together works well.")


def clean_email(value) -> str:
    """An email address in lower case, or a kind error."""
    email = (value or "").strip().lower() if isinstance(value, str) else ""
    refuse_unstorable(email, field="email", label=_("The email address"))
    if not _EMAIL.match(email) or len(email) > LIMITS["email"]:
        raise InvalidInput(_("Please enter an email address like name@example.org."), field="email")
    return email


def check_password(password, email: str | None = None, name: str | None = None) -> str:
    """Refuse passwords too short or long, common, or mostly the person's own name or email.

    As NCSC and NIST advise: no rules about digits or symbols, long passphrases welcome.
    """
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_("Please use a password of at least %(least)s characters. "
                             "A few words together works well.", least=MIN_PASSWORD_LENGTH),
                           field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(_("Please use a password of up to %(most)s characters.",
                             most=MAX_PASSWORD_LENGTH), field="password")
    if _is_common(password):
        raise InvalidInput(TOO_COMMON, field="password")
    if _mostly_personal(password, email, name):
        raise InvalidInput(TOO_PERSONAL, field="password")
    return password


@cache
def common_passwords() -> frozenset[str]:
    """The common-password list, lower case, read once."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as listed:
        return frozenset(line.strip() for line in listed if line.strip())


def _letters_and_digits(text: str) -> str:
    return "".join(character for character in text.lower() if character.isalnum())


def _is_common(password: str) -> bool:
    # "Password-123!" is "password123" with decoration: check both spellings.
    common = common_passwords()
    return password.lower().strip() in common or _letters_and_digits(password) in common


def _personal_words(email: str | None, name: str | None) -> list[str]:
    """The parts of someone's email and name a guesser would try, longest first."""
    pieces = [email or "", *re.split(r"[@._+\-]", email or ""), name or "", *(name or "").split()]
    words = {_letters_and_digits(piece) for piece in pieces}
    return sorted((word for word in words if len(word) >= 3), key=len, reverse=True)


def _mostly_personal(password: str, email: str | None, name: str | None) -> bool:
    # "alexsmith2024" for Alex Smith: take the name and email out and see what is left. A
    # passphrase that merely includes a name ("alex rides purple bikes") keeps plenty.
    remainder = _letters_and_digits(password)
    words = _personal_words(email, name)
    if not words:
        return False
    for word in words:
        remainder = remainder.replace(word, "")
    return len(remainder) < MIN_PERSONAL_REMAINDER or remainder in common_passwords()
