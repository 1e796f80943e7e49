"""Return codes: how a participant who chose it is recognised in a later session of a project.

A code is 8 characters from the join codes' alphabet (no look-alikes), shown as two halves,
"KXMR-3PQT", so it is easy to read aloud, copy onto paper and type on a phone.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from .i18n import _
from .joincode import ALPHABET

LENGTH = 8
DEFAULT_DAYS = 180

# One message for every code that cannot be used (unknown, used, too old, another project's, a
# removed person's): it tells a guesser nothing, and it tells a person what they can do.
UNUSABLE = _("We could not use that return code. It may be mistyped, used already, or too old.")


def new_return_code() -> str:
    """A random return code as stored, such as 'KXMR3PQT' (19^8: about 17 billion codes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_return_code(typed) -> str | None:
    """The code as stored, from what someone typed (any case, spaces or dashes), or None."""
    if not isinstance(typed, str):
        return None
    code = "".join(ch for ch in typed.upper() if not ch.isspace() and ch not in "-‐‑–—")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display_return_code(code: str) -> str:
    """The code split in two halves for reading aloud and printing: 'KXMR-3PQT'."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def code_ending(code: str) -> str:
    """The last two characters: all the audit trail keeps of a code (it works like a key)."""
    return code[-2:]


def expires_at(issued_at: datetime, days: int) -> datetime:
    """When a code issued at `issued_at` stops working."""
    return issued_at + timedelta(days=days)


@dataclass(frozen=True)
class CodeFacts:
    """What decides whether a code may be used to join a session."""

    used: bool
    expired: bool
    removed: bool  # its participant was taken out by a facilitator
    earlier_session: bool  # its participant joined an earlier session of the same project


def usable(facts: CodeFacts | None) -> bool:
    """Whether a return code (None: no such code in this project) may be used now."""
    return (facts is not None and not facts.used and not facts.expired and not facts.removed
            and facts.earlier_session)
