"""The audit chain: each event's hash covers the one before it, so any edit or gap shows.

What is hashed is exactly what is stored. An event's actor and payload are turned into their JSON
text once (`stored_json`), that text is what the database keeps, and the hash is taken over the
event with that very text spliced in (`canonical`). Verification hashes the stored text again, so
it never re-serialises anything: no reading back can reorder keys or change a number.
"""

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime

from .errors import InvalidInput
from .i18n import Message, _

GENESIS_HASH = "0" * 64

UNSTORABLE = _("Something in this change cannot be stored exactly as it is, so nothing was "
              "saved. Please check the text for unusual characters and try again.")


class UnstorablePayload(InvalidInput):
    """An audit actor or payload that is not plain JSON, so it could not be stored as hashed."""

    def __init__(self, detail: str):
        super().__init__(UNSTORABLE)
        self.detail = detail  # for the log: what exactly was refused, and where

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})"


@dataclass(frozen=True)
class AuditRecord:
    """One event as stored: `actor` and `payload` are their stored JSON text."""

    chain: str  # "system" or "workshop:<id>"
    seq: int
    at: datetime
    actor: str
    action: str
    payload: str
    prev_hash: str


def new_record(chain: str, seq: int, at: datetime, actor: dict, action: str, payload: dict,
               prev_hash: str) -> AuditRecord:
    """A new event, its actor and payload turned into the JSON text they are stored as."""
    return AuditRecord(chain, seq, at, stored_json(actor, "actor"), action,
                       stored_json(payload, "payload"), prev_hash)


def stored_json(value, where: str = "payload") -> str:
    """The one JSON text an actor or payload is stored and hashed as: compact, sorted keys, UTF-8.

    Only plain JSON is accepted (objects with text keys, lists, text, whole and finite numbers,
    true, false, null), so the text reads back as the same value everywhere; anything else is
    refused before anything is written.
    """
    _check_plain(value, where)
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database can store it as UTF-8
        raise UnstorablePayload(f"{where} holds text that is not valid Unicode") from None
    return text


def _check_plain(value, where: str) -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnstorablePayload(f"{where} holds {value!r}, which JSON cannot carry")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_plain(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                # JSON keys are text: a number key would read back as text, in another order.
                raise UnstorablePayload(f"{where} has the key {key!r}, which is not text")
            _check_plain(item, f"{where}[{key!r}]")
        return
    raise UnstorablePayload(f"{where} holds a {type(value).__name__}, which is not plain JSON")


def canonical(record: AuditRecord) -> bytes:
    """The exact bytes that are hashed: the event as sorted-key compact JSON in UTF-8.

    Actor and payload go in as their stored text, so the bytes are the same whenever they are
    rebuilt, and the same as earlier versions of coprod hashed (they serialised each part the
    same way before splicing it into one document).
    """
    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)
    return (f'{{"action":{text(record.action)},"actor":{record.actor},'
            f'"at":{text(record.at.isoformat(timespec="microseconds"))},'
            f'"chain":{text(record.chain)},"payload":{record.payload},'
            f'"prev":{text(record.prev_hash)},"seq":{int(record.seq)}}}').encode("utf-8")


def event_hash(record: AuditRecord) -> str:
    """SHA-256 of the canonical form, as 64 hex characters."""
    return hashlib.sha256(canonical(record)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: Message  # what is wrong, in words; it follows "Event 3 fails verification: "


def verify_chain(stored: list[tuple[AuditRecord, str]], head_seq: int,
                 head_hash: str) -> ChainProblem | None:
    """The first problem in a chain of (record, stored hash) pairs in seq order, or None.

    A changed row no longer matches its hash; a removed row leaves a gap in the sequence or a
    broken link; removing the newest rows leaves the chain short of its recorded head, and adding
    rows takes it past it. (A head rewritten to match is caught by its seal: services/audit.py.)
    """
    expected_prev, expected_seq = GENESIS_HASH, 1
    for record, stored_hash in stored:
        if record.seq != expected_seq:
            # Translators: the reasons below follow "Event 3 fails verification: ".
            return ChainProblem(expected_seq, _("event %(seq)s is missing", seq=expected_seq))
        if record.prev_hash != expected_prev:
            return ChainProblem(record.seq, _("it does not link to the event before it"))
        if not (_is_json(record.actor) and _is_json(record.payload)):
            # Each part must stand alone, so no text can move from one part to the other.
            return ChainProblem(record.seq, _("its actor or payload is not valid JSON"))
        if event_hash(record) != stored_hash:
            return ChainProblem(record.seq, _("its contents do not match its hash"))
        expected_prev, expected_seq = stored_hash, record.seq + 1
    if expected_seq - 1 < head_seq:
        return ChainProblem(expected_seq, _("event %(seq)s is missing (the chain head is %(head)s)",
                                            seq=expected_seq, head=head_seq))
    if expected_seq - 1 > head_seq:
        return ChainProblem(head_seq + 1, _("event %(seq)s is past the chain head (event %(head)s): "
                                            "it was added outside coprod",
                                            seq=head_seq + 1, head=head_seq))
    if expected_prev != head_hash:
        return ChainProblem(head_seq, _("the newest event does not match the chain head"))
    return None


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
