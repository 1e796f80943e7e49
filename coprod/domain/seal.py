"""Sealed chain heads: a MAC over each audit chain's head, with a key the database never holds.

Anyone who can write the database can rewrite a hash chain and its head so that it verifies
again; they cannot make the head's seal without the audit key, which lives in a file beside the
server (docs/audit.md). A key ring holds several keys so they can rotate: the first one seals,
every one verifies.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from .i18n import _

KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
MIN_KEY_BYTES = 32


class BadKeyFile(ValueError):
    """The audit key file cannot be read as key lines (the reason follows "The audit key file
    ... cannot be used: ")."""


@dataclass(frozen=True)
class KeyRing:
    """The audit keys: (key id, secret) pairs, the first of which seals."""

    keys: tuple[tuple[str, bytes], ...]

    @property
    def signing_id(self) -> str:
        """The id of the key new seals are made with."""
        return self.keys[0][0]

    def seal(self, chain: str, seq: int, head_hash: str) -> str:
        """The seal of a chain head, made with the signing key: "<key id>:<hex MAC>"."""
        key_id, secret = self.keys[0]
        return f"{key_id}:{head_mac(secret, chain, seq, head_hash)}"

    def verifies(self, seal: str | None, chain: str, seq: int, head_hash: str) -> bool:
        """Whether `seal` was made by one of these keys for exactly this chain head."""
        key_id, _, mac = (seal or "").partition(":")
        for known_id, secret in self.keys:
            if known_id == key_id:
                return hmac.compare_digest(mac, head_mac(secret, chain, seq, head_hash))
        return False

    def with_new_key(self, key_id: str) -> "KeyRing":
        """This ring with a fresh random key in front (it seals; the old ones still verify)."""
        if any(known_id == key_id for known_id, _ in self.keys):
            raise BadKeyFile(_("the key id %(key_id)s is already in use", key_id=key_id))
        return KeyRing(((key_id, secrets.token_bytes(MIN_KEY_BYTES)), *self.keys))


def head_mac(secret: bytes, chain: str, seq: int, head_hash: str) -> str:
    """HMAC-SHA256 over "chain|seq|hash", as 64 hex characters."""
    message = f"{chain}|{int(seq)}|{head_hash}".encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def parse_key_file(text: str) -> KeyRing:
    """Read "<key id> <hex>" lines (blank lines and # comments skipped); the first line seals."""
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not KEY_ID.match(parts[0]):
            # Translators: "<key id> <hex key>" is the line's format: keep it as it is.
            raise BadKeyFile(_("line %(number)s is not '<key id> <hex key>'", number=number))
        try:
            secret = bytes.fromhex(parts[1])
        except ValueError:
            raise BadKeyFile(_("the key on line %(number)s is not hexadecimal",
                               number=number)) from None
        if len(secret) < MIN_KEY_BYTES:
            raise BadKeyFile(_("the key on line %(number)s is shorter than %(bytes)s bytes",
                               number=number, bytes=MIN_KEY_BYTES))
        keys.append((parts[0], secret))
    if not keys:
        raise BadKeyFile(_("it holds no key"))
    return KeyRing(tuple(keys))


def key_file_text(ring: KeyRing) -> str:
    """The key file's text for a ring: one "<key id> <hex>" line per key, signing key first."""
    return "".join(f"{key_id} {secret.hex()}\n" for key_id, secret in ring.keys)


def new_ring(key_id: str) -> KeyRing:
    """A ring with one fresh random key, for a first start."""
    return KeyRing(((key_id, secrets.token_bytes(MIN_KEY_BYTES)),))
