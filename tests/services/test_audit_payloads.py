"""What is hashed is what is stored is what is verified, for every audit action, on both databases."""

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from coprod.domain.actors import Actor
from coprod.domain.audit import GENESIS_HASH, UnstorablePayload
from coprod.extensions import db
from coprod.models import AuditChain, AuditEvent, Workshop
from coprod.services import audit
from coprod.services.chain import chain_key
from coprod.services.unit import unit_of_work

from ..factories import make_user, make_workshop

AUDIT_DOC = Path(__file__).resolve().parents[2] / "docs" / "audit.md"


def documented_actions() -> dict[str, list[str]]:
    """Every action docs/audit.md lists, with the payload fields it names."""
    actions = {}
    for line in AUDIT_DOC.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        fields = [name for name in re.findall(r"`([^`]+)`", cells[2])
                  if re.fullmatch(r"[a-z_]+", name)]
        for action in re.findall(r"`([a-z_]+\.[a-z_]+)`", cells[0]):
            actions[action] = fields
    return actions


ACTIONS = documented_actions()
SYSTEM_ACTIONS = {action for action in ACTIONS if action.split(".")[0] in (
    "setup", "account")}


def test_the_audit_guide_lists_the_actions_the_services_write():
    written = set()
    for source in Path(__file__).resolve().parents[2].joinpath("coprod").rglob("*.py"):
        written |= set(re.findall(r'audit\(\s*"([a-z_]+\.[a-z_]+)"', source.read_text()))
    assert written and written <= set(ACTIONS), sorted(written - set(ACTIONS))
    assert {"round.closed", "results.revealed", "vote.cast", "card.merged"} <= set(ACTIONS)


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
KEYS = TEXT | st.integers(0, 10**4).map(str)  # "9" and "10": keys that sort apart as numbers
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | TEXT
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=10)
ACTORS = st.one_of(
    st.builds(Actor.user, st.integers(1, 10**6), st.sampled_from(["facilitator", "lead"])),
    st.builds(Actor.participant, st.integers(1, 10**6), TEXT),
    st.builds(lambda user, person, group: Actor.user(user, "helper").acting_for(person, group),
              st.integers(1, 10**6), st.integers(1, 10**6), TEXT),
    st.just(Actor.system()))


@st.composite
def events(draw):
    """An action from the guide, its documented fields with any JSON values, and more keys."""
    action = draw(st.sampled_from(sorted(ACTIONS)))
    payload = {field: draw(VALUES) for field in ACTIONS[action]}
    payload.update(draw(st.dictionaries(KEYS, VALUES, max_size=3)))
    return action, payload, draw(ACTORS)


@pytest.fixture
def workshop_id(app):
    return make_workshop(make_user())


def chain_state(workshop_id):
    """The chain head and the number of stored events, to show nothing was written."""
    db.session.rollback()
    head = db.session.execute(select(AuditChain.head_seq, AuditChain.head_hash).where(
        AuditChain.key == chain_key(workshop_id))).one()
    count = db.session.query(AuditEvent).filter(AuditEvent.workshop_id == workshop_id).count()
    return tuple(head), count


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(events(), min_size=1, max_size=3))
def test_every_documented_action_verifies_whatever_its_payload(workshop_id, batch):
    with unit_of_work(Actor.system()) as unit:
        for action, payload, actor in batch:
            on_workshop = action not in SYSTEM_ACTIONS
            unit.audit(action, payload, workshop_id=workshop_id if on_workshop else None,
                       actor=actor)
    assert audit.verify(workshop_id).ok, audit.verify(workshop_id).describe()
    assert audit.verify(None).ok, audit.verify(None).describe()
    newest = audit.events_for(workshop_id)[:sum(a not in SYSTEM_ACTIONS for a, _, _ in batch)]
    expected = [(action, payload) for action, payload, _ in batch if action not in SYSTEM_ACTIONS]
    assert [(event.action, event.payload) for event in reversed(newest)] == expected


BAD_LEAVES = st.sampled_from([float("nan"), float("inf"), -float("inf"), "lone \ud83d half",
                              {1, 2}, b"bytes", datetime(2027, 1, 1)])


@st.composite
def unstorable(draw):
    """A payload with one thing somewhere inside it that JSON cannot carry exactly."""
    bad = draw(st.one_of(BAD_LEAVES, st.builds(lambda key, value: {key: value},
                                               st.integers(0, 99), VALUES)))
    for _ in range(draw(st.integers(0, 3))):
        bad = draw(st.one_of(st.builds(lambda key, inner: {key: inner}, KEYS, st.just(bad)),
                             st.builds(lambda items, inner: [*items, inner],
                                       st.lists(VALUES, max_size=2), st.just(bad))))
    return {"card_id": 10, "text": draw(TEXT), "part": bad}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payload=unstorable())
def test_a_payload_that_cannot_be_stored_as_hashed_is_refused_and_nothing_is_written(
        workshop_id, payload):
    before = chain_state(workshop_id)
    title = db.session.get(Workshop, workshop_id).title
    with pytest.raises(UnstorablePayload) as refused:
        with unit_of_work(Actor.system()) as unit:
            db.session.get(Workshop, workshop_id).title = "Changed in the refused change"
            unit.audit("card.added", {"card_id": 9, "text": "fine"}, workshop_id=workshop_id)
            unit.audit("card.added", payload, workshop_id=workshop_id)
    assert "nothing was saved" in refused.value.message
    assert chain_state(workshop_id) == before
    assert db.session.get(Workshop, workshop_id).title == title
    assert audit.verify(workshop_id).ok


def append_as_before_issue_10(workshop_id, action, payload):
    """Store an event exactly as coprod did before issue 10 (number keys hashed as numbers)."""
    def to_json(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    chain = db.session.scalars(select(AuditChain).where(
        AuditChain.key == chain_key(workshop_id))).one()
    seq, at, actor = chain.head_seq + 1, datetime(2027, 3, 14, 11, 0, 0, 123456), {"kind": "system"}
    document = {"chain": chain.key, "seq": seq, "at": at.isoformat(timespec="microseconds"),
                "actor": actor, "action": action, "payload": payload, "prev": chain.head_hash}
    digest = hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":"),
                                       ensure_ascii=False).encode()).hexdigest()
    db.session.add(AuditEvent(chain_id=chain.id, seq=seq, workshop_id=workshop_id, at=at,
                              actor=to_json(actor), action=action, payload=to_json(payload),
                              prev_hash=chain.head_hash, hash=digest))
    db.session.execute(update(AuditChain).where(AuditChain.id == chain.id)
                       .values(head_seq=seq, head_hash=digest, head_seal=None))
    db.session.commit()


def test_a_chain_stored_by_an_earlier_version_verifies_as_it_is_and_can_grow(workshop_id):
    statuses = {card: ("agreed", "open", "divisive")[card % 3] for card in range(5, 15)}
    append_as_before_issue_10(workshop_id, "round.closed", {"round_id": 1, "statuses": statuses})
    append_as_before_issue_10(workshop_id, "results.revealed", {"round_id": 1,
                                                                "statuses": statuses})
    stored = db.session.execute(select(AuditEvent.payload, AuditEvent.hash)
                                .where(AuditEvent.workshop_id == workshop_id)
                                .order_by(AuditEvent.seq)).all()
    assert '"9":"agreed","10":"open"' in stored[-1].payload  # sorted as numbers when hashed
    assert audit.verify(workshop_id).unsealed
    assert audit.seal_unsealed_heads().sealed == 2  # the upgrade step (flask ... seal-audit)
    assert audit.verify(workshop_id).ok, audit.verify(workshop_id).describe()
    with unit_of_work(Actor.system()) as unit:
        unit.audit("phase.changed", {"from": "results", "to": "build"}, workshop_id=workshop_id)
    assert audit.verify(workshop_id).ok
    db.session.rollback()
    assert db.session.execute(select(AuditEvent.payload, AuditEvent.hash)
                              .where(AuditEvent.workshop_id == workshop_id)
                              .order_by(AuditEvent.seq)).all()[:len(stored)] == stored


def test_the_first_event_links_to_the_genesis_hash_and_numbers_stay_exact(workshop_id):
    big = {"card_id": 2**63 + 1, "share": 0.1 + 0.2, "tiny": 5e-324, "text": "Gofal ŵ ŷ 🙂 עברית"}
    with unit_of_work(Actor.system()) as unit:
        unit.audit("card.added", big, workshop_id=workshop_id)
    events = audit.events_for(workshop_id, newest_first=False)
    first = db.session.scalars(select(AuditEvent).where(AuditEvent.workshop_id == workshop_id,
                                                        AuditEvent.seq == 1)).one()
    assert first.prev_hash == GENESIS_HASH
    assert events[-1].payload == big  # exactly: the biggest whole number and the float too
    assert audit.verify(workshop_id).ok
