import hashlib
import json
from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coprod.domain.audit import (
    GENESIS_HASH,
    AuditRecord,
    UnstorablePayload,
    canonical,
    event_hash,
    new_record,
    stored_json,
    verify_chain,
)
from coprod.domain.seal import BadKeyFile, key_file_text, new_ring, parse_key_file

ACTOR = {"kind": "participant", "participant_id": 1, "constituency": "Carer"}
AT = datetime(2027, 3, 14, 10, 0, 1, 250)


def build_chain(count: int):
    chain, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        record = new_record("workshop:1", seq, datetime(2027, 3, 14, 10, 0, seq),
                            {**ACTOR, "participant_id": seq}, "card.added",
                            {"card_id": seq, "text": f"Idea {seq} – café"}, prev)
        prev = event_hash(record)
        chain.append((record, prev))
    return chain


def hash_as_before_issue_10(chain, seq, at, actor, action, payload, prev) -> tuple[str, str, str]:
    """How coprod up to issue 10 hashed and stored an event: (actor text, payload text, hash).

    A frozen copy of the old code, so chains it stored are shown to verify unchanged.
    """
    def to_json(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    document = {"chain": chain, "seq": seq, "at": at.isoformat(timespec="microseconds"),
                "actor": actor, "action": action, "payload": payload, "prev": prev}
    digest = hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":"),
                                       ensure_ascii=False, allow_nan=False).encode()).hexdigest()
    return to_json(actor), to_json(payload), digest


def test_canonical_form_is_sorted_compact_utf8():
    record = build_chain(1)[0][0]
    text = canonical(record).decode("utf-8")
    assert text.startswith('{"action":"card.added","actor":{')
    assert ", " not in text and "café" in text
    assert json.loads(text)["payload"] == {"card_id": 1, "text": "Idea 1 – café"}


def test_an_untouched_chain_verifies():
    chain = build_chain(5)
    assert verify_chain(chain, 5, chain[-1][1]) is None


def test_an_edited_payload_is_found():
    chain = build_chain(5)
    record, stored = chain[2]
    chain[2] = (replace(record, payload='{"card_id":3,"text":"Something else"}'), stored)
    problem = verify_chain(chain, 5, chain[-1][1])
    assert problem.seq == 3 and "hash" in problem.reason


def test_text_moved_between_actor_and_payload_is_found():
    """Splicing alone would let text slide from payload to actor with the same bytes hashed."""
    at = AT.isoformat(timespec="microseconds")
    between = f',"at":"{at}","chain":"workshop:1","payload":'
    payload = {"a": 1, "at": at, "chain": "workshop:1", "payload": {"y": 2}}
    record = new_record("workshop:1", 1, AT, ACTOR, "card.added", payload, GENESIS_HASH)
    prefix, _, rest = record.payload.partition(between)
    forged = replace(record, actor=record.actor + between + prefix, payload=rest)
    assert canonical(forged) == canonical(record)  # the same bytes...
    digest = event_hash(record)
    problem = verify_chain([(forged, digest)], 1, digest)
    assert problem.seq == 1 and "JSON" in problem.reason  # ...but not the same event


def test_a_removed_row_is_found():
    chain = build_chain(5)
    del chain[1]
    problem = verify_chain(chain, 5, chain[-1][1])
    assert problem.seq == 2 and "missing" in problem.reason


def test_removing_the_newest_rows_is_found_against_the_head():
    chain = build_chain(5)
    head = chain[-1][1]
    problem = verify_chain(chain[:3], 5, head)
    assert problem.seq == 4


def test_a_recomputed_hash_still_breaks_the_next_link():
    chain = build_chain(4)
    forged = replace(chain[1][0], action="card.hidden")
    chain[1] = (forged, event_hash(forged))
    problem = verify_chain(chain, 4, chain[-1][1])
    assert problem.seq == 3 and "link" in problem.reason


def test_statuses_keyed_past_nine_verify():
    """The defect of issue 10: ids 9 and 10 sorted as numbers when hashed, as text when read."""
    payload = {"round_id": 2, "statuses": {"9": "agreed", "10": "open", "100": "divisive"}}
    record = new_record("workshop:1", 1, AT, ACTOR, "round.closed", payload, GENESIS_HASH)
    read_back = AuditRecord(record.chain, 1, AT, record.actor, record.action,
                            record.payload, GENESIS_HASH)
    assert verify_chain([(read_back, event_hash(record))], 1, event_hash(record)) is None
    assert json.loads(read_back.payload) == payload


def test_a_chain_stored_before_issue_10_with_number_keys_still_verifies():
    payload = {"round_id": 2, "statuses": {9: "agreed", 10: "open"}}  # as the old code sent it
    actor, text, digest = hash_as_before_issue_10("workshop:1", 1, AT, ACTOR, "round.closed",
                                                  payload, GENESIS_HASH)
    stored = AuditRecord("workshop:1", 1, AT, actor, "round.closed", text, GENESIS_HASH)
    assert verify_chain([(stored, digest)], 1, digest) is None


@pytest.mark.parametrize("payload, where", [
    ({"statuses": {9: "agreed"}}, "key 9"),
    ({"share": float("nan")}, "nan"),
    ({"share": float("inf")}, "inf"),
    ({"text": "half a pair \ud800"}, "Unicode"),
    ({"when": datetime(2027, 1, 1)}, "datetime"),
    ({"ids": {1, 2}}, "set"),
    ({"raw": b"bytes"}, "bytes"),
])
def test_payloads_that_cannot_be_stored_as_hashed_are_refused(payload, where):
    with pytest.raises(UnstorablePayload) as refused:
        new_record("workshop:1", 1, AT, ACTOR, "card.added", payload, GENESIS_HASH)
    assert where in refused.value.detail
    assert "nothing was saved" in refused.value.message


JSON_TEXT = st.text(st.characters(exclude_categories=("Cs",)))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**80, max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False) | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(JSON_TEXT | st.integers(0, 10**6).map(str), inner, max_size=4),
    max_leaves=12)


@given(payload=st.dictionaries(JSON_TEXT | st.integers(0, 10**6).map(str), JSON_VALUES,
                               max_size=6))
def test_new_hashes_are_the_ones_earlier_versions_made_for_text_keys(payload):
    """Splicing the stored text in gives the very bytes the old whole-document form gave."""
    actor, text, digest = hash_as_before_issue_10("workshop:1", 7, AT, ACTOR, "card.added",
                                                  payload, "a" * 64)
    record = new_record("workshop:1", 7, AT, ACTOR, "card.added", payload, "a" * 64)
    assert (record.actor, record.payload, event_hash(record)) == (actor, text, digest)
    assert json.loads(stored_json(json.loads(record.payload))) == json.loads(record.payload)


def test_rows_added_past_the_head_are_found():
    chain = build_chain(5)
    problem = verify_chain(chain, 4, chain[3][1])
    assert problem.seq == 5 and "past the chain head (event 4)" in problem.reason


# Sealed heads (coprod/domain/seal.py): a MAC with a key that is not in the database.

HEAD = ("workshop:1", 5, "ab" * 32)


def test_a_seal_verifies_only_the_head_it_was_made_for():
    ring = new_ring("k1")
    seal = ring.seal(*HEAD)
    assert seal.startswith("k1:") and ring.verifies(seal, *HEAD)
    chain, seq, head_hash = HEAD
    assert not ring.verifies(seal, "workshop:2", seq, head_hash)  # moved to another chain
    assert not ring.verifies(seal, chain, seq - 1, head_hash)  # head moved back
    assert not ring.verifies(seal, chain, seq, "cd" * 32)  # chain rewritten
    assert not ring.verifies(None, *HEAD) and not ring.verifies("", *HEAD)
    assert not new_ring("k1").verifies(seal, *HEAD)  # the same id, another key


def test_a_seal_by_a_key_the_ring_does_not_hold_fails():
    assert not new_ring("k2").verifies(new_ring("k1").seal(*HEAD), *HEAD)


def test_a_rotated_ring_seals_with_the_new_key_and_still_verifies_old_seals():
    old = new_ring("k1")
    old_seal = old.seal(*HEAD)
    rotated = old.with_new_key("k2")
    assert rotated.signing_id == "k2" and rotated.seal(*HEAD).startswith("k2:")
    assert rotated.verifies(old_seal, *HEAD)
    with pytest.raises(BadKeyFile):
        rotated.with_new_key("k1")


def test_the_key_file_text_reads_back_as_the_same_ring():
    ring = new_ring("k1").with_new_key("k2")
    assert parse_key_file("# audit keys\n\n" + key_file_text(ring)) == ring


@pytest.mark.parametrize("text, complaint", [
    ("", "holds no key"),
    ("k1\n", "line 1 is not"),
    ("k1 zz\n", "not hexadecimal"),
    ("k1 abcd\n", "shorter than 32 bytes"),
    ("bad id! " + "ab" * 32, "line 1 is not"),
])
def test_a_key_file_that_is_not_key_lines_is_refused(text, complaint):
    with pytest.raises(BadKeyFile, match=complaint):
        parse_key_file(text)
