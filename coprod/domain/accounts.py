"""Account rules: emails, passwords and slowing down repeated failed logins."""

import re

from .errors import InvalidInput
from .text import LIMITS, refuse_unstorable

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# After this many failed logins in a row, each further try must wait, doubling up to the cap.
FREE_FAILURES = 3
MAX_DELAY_SECONDS = 15 * 60
# Everyone on a venue's Wi-Fi shares one address, so an address may slip a few more times than
# one email before it is slowed (it still stops one password being tried on many accounts).
ADDRESS_FREE_FAILURES = 10
# Failures in a row are forgotten after this long without another (longer than the longest wait).
FORGET_FAILURES_AFTER_SECONDS = 60 * 60


def clean_email(value) -> str:
    """An email address in lower case, or a kind error."""
    email = (value or "").strip().lower() if isinstance(value, str) else ""
    refuse_unstorable(email, field="email", label="The email address")
    if not _EMAIL.match(email) or len(email) > LIMITS["email"]:
        raise InvalidInput("Please enter an email address like name@example.org.", field="email")
    return email


def check_password(password) -> str:
    """Refuse passwords that are too short or too long to be safe."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Please use a password of at least {MIN_PASSWORD_LENGTH} characters. "
            "A few words together works well.", field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"Please use a password of up to {MAX_PASSWORD_LENGTH} characters.",
                           field="password")
    return password


def login_delay_seconds(failures: int, free: int = FREE_FAILURES) -> int:
    """How long to wait before the next login try after `failures` failed ones in a row."""
    if failures < free:
        return 0
    return min(2 ** (failures - free + 1), MAX_DELAY_SECONDS)
