"""The audit chain: each event's hash covers the one before it, so any edit or gap shows."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    chain: str  # "system" or "workshop:<id>"
    seq: int
    at: datetime
    actor: dict
    action: str
    payload: dict
    prev_hash: str


def canonical(record: AuditRecord) -> bytes:
    """The exact bytes that are hashed: sorted-key compact JSON in UTF-8."""
    document = {
        "chain": record.chain,
        "seq": record.seq,
        "at": record.at.isoformat(timespec="microseconds"),
        "actor": record.actor,
        "action": record.action,
        "payload": record.payload,
        "prev": record.prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def event_hash(record: AuditRecord) -> str:
    """SHA-256 of the canonical form, as 64 hex characters."""
    return hashlib.sha256(canonical(record)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(stored: list[tuple[AuditRecord, str]], head_seq: int,
                 head_hash: str) -> ChainProblem | None:
    """The first problem in a chain of (record, stored hash) pairs in seq order, or None.

    A changed row no longer matches its hash; a removed row leaves a gap in the sequence or a
    broken link; removing the newest rows leaves the chain short of its recorded head.
    """
    expected_prev, expected_seq = GENESIS_HASH, 1
    for record, stored_hash in stored:
        if record.seq != expected_seq:
            return ChainProblem(expected_seq, f"event {expected_seq} is missing")
        if record.prev_hash != expected_prev:
            return ChainProblem(record.seq, "it does not link to the event before it")
        if event_hash(record) != stored_hash:
            return ChainProblem(record.seq, "its contents do not match its hash")
        expected_prev, expected_seq = stored_hash, record.seq + 1
    if expected_seq - 1 != head_seq:
        return ChainProblem(expected_seq, f"event {expected_seq} is missing (the chain head is {head_seq})")
    if expected_prev != head_hash:
        return ChainProblem(head_seq, "the newest event does not match the chain head")
    return None
