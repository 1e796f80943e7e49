"""Short join codes that are easy to read aloud and type on a phone."""

import secrets

# No look-alikes: 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V are left out.
ALPHABET = "ACEFHJKMNPRTWXY3479"
LENGTH = 6


def new_join_code() -> str:
    """A random join code such as 'K7MX3P'."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_join_code(typed: str) -> str | None:
    """The code as stored, from what someone typed (any case, spaces or dashes), or None."""
    if not isinstance(typed, str):
        return None
    code = "".join(ch for ch in typed.upper() if not ch.isspace() and ch != "-")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display_join_code(code: str) -> str:
    """The code split in two halves for reading aloud: 'K7M X3P'."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"
