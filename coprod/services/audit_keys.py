"""The audit key file: the keys that seal chain heads, kept beside the server, never in the database.

COPROD_AUDIT_KEY_FILE (default `instance/audit.key`) holds one "<key id> <hex key>" line per
key; the first seals, every one verifies (coprod/domain/seal.py). It is created on first use
with mode 0600. It is read again only when it changes on disk, so a rotation by the command line
takes effect in a running server without a restart, and a commit costs one `stat`.
"""

import os
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from ..domain.i18n import _
from ..domain.seal import BadKeyFile, KeyRing, key_file_text, new_ring, parse_key_file

_CACHE = "coprod.audit_keys"


class AuditKeyFileError(RuntimeError):
    """The audit key file cannot be used (unreadable or not key lines)."""


def key_path() -> Path:
    """Where this app's audit key file is."""
    return Path(current_app.config["AUDIT_KEY_FILE"])


def key_ring() -> KeyRing:
    """The audit keys, from the key file (created with one fresh key if there is none yet)."""
    name = current_app.config["AUDIT_KEY_FILE"]  # a plain stat on each commit: a few µs
    try:
        stat = os.stat(name)
    except FileNotFoundError:
        _create(Path(name), new_ring(new_key_id()))
        stat = os.stat(name)
    stamp = (name, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    cached = current_app.extensions.get(_CACHE)
    if cached and cached[0] == stamp:
        return cached[1]
    path = Path(name)
    try:
        ring = parse_key_file(path.read_text(encoding="ascii"))
    except (BadKeyFile, OSError, UnicodeDecodeError) as error:
        # Translators: %(reason)s says what is wrong with the file, e.g. "it holds no key".
        raise AuditKeyFileError(_("The audit key file %(path)s cannot be used: %(reason)s.",
                                  path=path, reason=error)) from None
    current_app.extensions[_CACHE] = (stamp, ring)
    return ring


def add_signing_key() -> str:
    """Put a fresh key first in the key file (it seals from now on); the old ones stay to verify."""
    ring = key_ring().with_new_key(new_key_id())
    _replace(key_path(), ring)
    return ring.signing_id


def new_key_id() -> str:
    """A key id that says when the key was made: k20270314-1a2b3c."""
    return f"k{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(3)}"


def _create(path: Path, ring: KeyRing) -> None:
    # Written in full beside the target, then linked into place: two workers starting together
    # cannot both create a key, and none reads a half-written file.
    temporary = _write_private(path, ring)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        temporary.unlink()


def _replace(path: Path, ring: KeyRing) -> None:
    os.replace(_write_private(path, ring), path)


def _write_private(path: Path, ring: KeyRing) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".audit-key-", dir=path.parent)  # mode 0600
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(key_file_text(ring))
        file.flush()
        os.fsync(file.fileno())
    return Path(name)
