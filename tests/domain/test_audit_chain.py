from dataclasses import replace
from datetime import datetime

from coprod.domain.audit import GENESIS_HASH, AuditRecord, canonical, event_hash, verify_chain


def build_chain(count: int):
    chain, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        record = AuditRecord("workshop:1", seq, datetime(2027, 3, 14, 10, 0, seq),
                             {"kind": "participant", "participant_id": seq, "constituency": "Carer"},
                             "card.added", {"card_id": seq, "text": f"Idea {seq} – café"}, prev)
        prev = event_hash(record)
        chain.append((record, prev))
    return chain


def test_canonical_form_is_sorted_compact_utf8():
    record = build_chain(1)[0][0]
    text = canonical(record).decode("utf-8")
    assert text.startswith('{"action":"card.added","actor":{')
    assert ", " not in text and "café" in text


def test_an_untouched_chain_verifies():
    chain = build_chain(5)
    assert verify_chain(chain, 5, chain[-1][1]) is None


def test_an_edited_payload_is_found():
    chain = build_chain(5)
    record, stored = chain[2]
    chain[2] = (replace(record, payload={"card_id": 3, "text": "Something else"}), stored)
    problem = verify_chain(chain, 5, chain[-1][1])
    assert problem.seq == 3 and "hash" in problem.reason


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
