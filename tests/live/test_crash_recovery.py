"""The server is killed (SIGKILL) in the middle of a vote burst and started again on the same
database: every vote a phone was told was saved is there once, audited once, and every vote the
phone never heard back about is resent (same cid, as the phone does) and counted exactly once."""

import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
import socketio

from coprod.extensions import db
from coprod.models import AuditEvent, Ballot, Vote
from coprod.services import cards, participants, voting

from ..support.clients import join, live_socket

pytestmark = pytest.mark.live

PHONES, IDEAS = 40, 12
KILL_AFTER = PHONES * IDEAS // 4  # acknowledged votes before the server is killed
ACK_WAIT = 5  # seconds a phone waits for an answer before it resends (the page waits 10)
DEADLINE = 90  # seconds for every phone to hear back about every vote
STORED_AS = {"agree": 1, "unsure": 0, "disagree": -1}  # how the vote table keeps each answer


@dataclass
class Phone:
    """One person's phone: its session cookie, and its votes not yet acknowledged (by cid)."""

    session: requests.Session
    votes: dict[str, dict]
    pending: dict[str, dict] = field(default_factory=dict)
    acks: dict[str, dict] = field(default_factory=dict)
    refusals: list[dict] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self):
        self.pending = dict(self.votes)


def _ideas(scene) -> list[int]:
    author = participants.join(scene.code, scene.group("Staff"), None, True)
    as_author = participants.actor_for(author)
    return [cards.add_card(as_author, scene.workshop_id, "responsibility",
                           f"Idea number {number} for the new role")["card"]["id"]
            for number in range(1, IDEAS + 1)]


def _phones(scene, round_id: int, card_ids: list[int]) -> list[Phone]:
    groups = ("Service user or patient", "Carer", "Staff")
    phones = []
    for index in range(PHONES):
        session = join(scene.server.url, scene.code, scene.group(groups[index % 3]))
        phones.append(Phone(session, {
            f"phone{index:03d}-card{card_id}": {"round_id": round_id, "card_id": card_id,
                                                "value": ("agree", "unsure", "disagree")[index % 3]}
            for card_id in card_ids}))
    return phones


def _vote_until_all_acknowledged(scene, phone: Phone, give_up_at: float) -> None:
    """What the phone page does: send each unacknowledged vote, and after losing the connection,
    reconnect and send the unacknowledged ones again with the same cid."""
    while phone.pending and time.monotonic() < give_up_at:
        try:
            sock = live_socket(scene.server.url, phone.session, scene.workshop_id, "phone")
        except (socketio.exceptions.ConnectionError, ValueError):
            time.sleep(0.2)  # the server is down or still starting
            continue
        phone.connections += 1
        try:
            for cid, vote in list(phone.pending.items()):
                ack = sock.call("vote:set", {"cid": cid, **vote}, timeout=ACK_WAIT)
                if ack["ok"]:
                    phone.acks[cid] = ack
                else:
                    phone.refusals.append(ack)
                del phone.pending[cid]
        except (socketio.exceptions.SocketIOError, OSError):
            pass  # the connection went: reconnect and resend what is still pending
        finally:
            sock.disconnect()


def _acknowledged(phones: list[Phone]) -> int:
    return sum(len(phone.acks) for phone in phones)


def test_votes_survive_a_sigkill_mid_burst_exactly_once(scene):
    scene.phases("contribute")
    card_ids = _ideas(scene)
    scene.phases("review", "vote")
    round_id = voting.open_round(scene.boss, scene.workshop_id, "agree")["round"]["id"]
    phones = _phones(scene, round_id, card_ids)
    give_up_at = time.monotonic() + DEADLINE
    threads = [threading.Thread(target=_vote_until_all_acknowledged,
                                args=(scene, phone, give_up_at)) for phone in phones]
    for thread in threads:
        thread.start()

    while _acknowledged(phones) < KILL_AFTER and time.monotonic() < give_up_at:
        time.sleep(0.01)
    acknowledged_before_kill = _acknowledged(phones)
    scene.server.kill()
    assert acknowledged_before_kill < PHONES * IDEAS, "the burst ended before the kill"
    scene.server.restart()
    for thread in threads:
        thread.join()

    sent = PHONES * IDEAS
    acks = [ack for phone in phones for ack in phone.acks.values()]
    assert [phone.refusals for phone in phones if phone.refusals] == []
    assert [len(phone.pending) for phone in phones if phone.pending] == [], \
        "some votes were never acknowledged"
    assert len(acks) == sent
    assert any(phone.connections > 1 for phone in phones), "no phone had to reconnect"

    # Each acknowledged vote is one event on the audit trail, and nothing else is.
    receipts = Counter(ack["audit_seq"] for ack in acks)
    assert None not in receipts and max(receipts.values()) == 1, "a receipt was given twice"
    db.session.rollback()
    audited = dict(db.session.execute(db.select(AuditEvent.seq, AuditEvent.action).where(
        AuditEvent.workshop_id == scene.workshop_id, AuditEvent.action.like("vote.%"))).all())
    assert set(audited) == set(receipts)
    assert set(audited.values()) == {"vote.cast"}  # no vote changed or withdrawn by a resend

    # Stored: one vote per person per idea, with the answer they gave.
    stored = db.session.execute(db.select(Vote.participant_id, Vote.card_id, Vote.value).where(
        Vote.round_id == round_id)).all()
    assert len(stored) == sent
    assert len({(row.participant_id, row.card_id) for row in stored}) == sent
    per_person = Counter(row.participant_id for row in stored)
    assert sorted(set(per_person.values())) == [IDEAS] and len(per_person) == PHONES
    assert Counter(row.value for row in stored) == Counter(
        STORED_AS[vote["value"]] for phone in phones for vote in phone.votes.values())
    used = db.session.scalars(db.select(Ballot.used).where(Ballot.round_id == round_id)).all()
    assert sorted(set(used)) == [IDEAS] and len(used) == PHONES

    # The chain still verifies after the crash, sealed head included.
    try:
        scene.server.cli("verify-audit")  # every chain, each head against its seal
    except subprocess.CalledProcessError as failed:
        pytest.fail(f"verify-audit failed after the crash:\n{failed.stdout}{failed.stderr}")
    print(f"\ncrash test: {sent} votes sent by {PHONES} phones, SIGKILL after "
          f"{acknowledged_before_kill} acknowledged; acknowledged {len(acks)}, stored "
          f"{len(stored)}, audited {len(audited)}; "
          f"{sum(phone.connections for phone in phones) - PHONES} reconnections, "
          f"{sum(bool(ack.get('repeat')) for ack in acks)} resends answered as repeats")
