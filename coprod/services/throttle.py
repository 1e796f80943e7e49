"""Throttling what guessing needs: wrong join codes and failed sign-ins.

The counts live in Flask-Limiter's storage (Redis when configured, so every worker shares them
and they survive a restart; memory for one laptop). Only failures are counted, and a count is
checked before the next try is looked at, so a guesser learns nothing once a bucket is full.
Pages, socket events and phones that already joined are never counted or slowed.
"""

import ipaddress
import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse_many

from ..domain.i18n import Message, _, ngettext
from ..extensions import limiter

# Wrong join codes, per address. A venue of 300 behind one NAT joins within a minute; most scan
# the QR code (no typing), and if one in five of them typed a code wrong once that is still
# only 60. A script today tries 43,000 a minute. The hourly cap keeps a patient script at 10 a
# minute: with two live workshops among 19^6 codes (about 19^6 / 2 tries to find one: 9 hours at
# 43,000 a minute) that is about 4 years from one address.
JOIN_CODES_PER_ADDRESS = "60/minute;600/hour"
# Wrong join codes from everyone together: far above what real rooms make (ten rooms of 300
# joining in the same minute with one typo in ten is 300), but it caps a script spread over
# many addresses at about 16 days to find one of two live workshops. Past it, new joins from
# every address wait (at most a minute); phones already in a room are never held up.
JOIN_CODES_EVERYWHERE = "1000/minute"

# Failed sign-ins from a device that has not signed in to that account before (OWASP's
# "untrusted clients"), counted per email typed, known or not, so waiting tells no one which
# emails have an account. An attacker fills this bucket, not the owner's own devices'.
SIGN_IN_UNTRUSTED = "5/minute;20/hour"
# Failed sign-ins from one address to any account: a venue's Wi-Fi is one address, so a few
# more than for one email; it stops one password being tried on many accounts.
SIGN_IN_PER_ADDRESS = "10/minute;50/hour"
# Failed sign-ins from a device the account signed in on before (its device cookie): its own
# small bucket, which an attacker elsewhere cannot fill.
SIGN_IN_KNOWN_DEVICE = "5/minute;20/hour"

# Translators: %(wait)s is how long to wait, e.g. "40 seconds" or "12 minutes".
PAUSED_JOINS = _("Too many codes that did not work have been tried from here. "
                 "Please wait %(wait)s, then try again.")
# Translators: %(wait)s is how long to wait, e.g. "40 seconds" or "12 minutes".
PAUSED_SIGN_INS = _("There have been several tries that did not work. "
                    "Please wait %(wait)s, then try again.")


class TooManyTries(Exception):
    """A bucket is full: the person must wait `retry_after` seconds (not a broken rule)."""

    def __init__(self, message: Message, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Bucket:
    """One count: what it counts, whose it is, and its limits."""

    kind: str
    key: str
    limits: str

    def items(self) -> list[RateLimitItem]:
        """The parsed limits (a minute's and an hour's, say)."""
        return parse_many(self.limits)


def address_key(address: str | None) -> str:
    """The client address as counted: an IPv6 client is its /64 (one home or phone has them all)."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def join_code_buckets(address: str | None) -> list[Bucket]:
    """Where a wrong join code from this address is counted."""
    return [Bucket("join-address", address_key(address), JOIN_CODES_PER_ADDRESS),
            Bucket("join-all", "all", JOIN_CODES_EVERYWHERE)]


def wait_seconds(buckets: list[Bucket]) -> int:
    """How long until every bucket has room for one more failure (0: go ahead)."""
    longest = 0.0
    for bucket in buckets:
        for item in bucket.items():
            stats = _guarded(limiter.limiter.get_window_stats, item, *_identifiers(bucket),
                             default=None)
            if stats is not None and stats.remaining < 1:
                longest = max(longest, stats.reset_time - time.time(), 1)
    return math.ceil(longest)


def refuse_while_full(buckets: list[Bucket], message: Message) -> None:
    """Raise TooManyTries, saying how long to wait, while any bucket is full.

    `message` is PAUSED_JOINS or PAUSED_SIGN_INS: its %(wait)s is filled in here."""
    seconds = wait_seconds(buckets)
    if seconds > 0:
        waiting = Message(message.msgid, **{**message.values, "wait": describe_wait(seconds)})
        raise TooManyTries(waiting, seconds)


def count_failure(buckets: list[Bucket]) -> int:
    """Count one failure in every bucket; returns the first bucket's count in its longest window."""
    for bucket in buckets:
        for item in bucket.items():
            _guarded(limiter.limiter.hit, item, *_identifiers(bucket), default=True)
    longest = max(buckets[0].items(), key=lambda item: item.get_expiry())
    stats = _guarded(limiter.limiter.get_window_stats, longest, *_identifiers(buckets[0]),
                     default=None)
    return longest.amount - stats.remaining if stats else 0


def forget(bucket: Bucket) -> None:
    """Empty one bucket (a device that signed in starts afresh)."""
    for item in bucket.items():
        _guarded(limiter.limiter.clear, item, *_identifiers(bucket), default=None)


def describe_wait(seconds: int) -> Message:
    """A wait in words: "40 seconds", "1 minute", "12 minutes"."""
    if seconds < 60:
        return ngettext("%(count)s second", "%(count)s seconds", seconds)
    return ngettext("%(count)s minute", "%(count)s minutes", math.ceil(seconds / 60))


def _identifiers(bucket: Bucket) -> tuple[str, str, str]:
    return "coprod", bucket.kind, bucket.key


def _guarded(call, *args, default):
    # If Redis is away the room must still join and staff still sign in: throttling is a
    # safeguard, not a gate, so it steps aside (and says so in the log) rather than fail.
    try:
        return call(*args)
    except limiter.storage.base_exceptions:
        current_app.logger.warning("Throttling counts could not be reached", exc_info=True)
        return default
