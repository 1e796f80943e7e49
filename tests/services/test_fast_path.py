"""The vote fast path on its own: a batch of votes in one transaction, and what it keeps visible."""

import logging

import pytest
from sqlalchemy import event, select

from coprod.domain.errors import Conflict
from coprod.extensions import db
from coprod.models import Ballot, ClientAction, Vote
from coprod.services import audit, cards, fast_path, participants, voting
from coprod.services.fast_path import group_commit as batching

from ..factories import actor_of, join, make_user, make_workshop, set_phase


class HeldVotes:
    """Votes handed to the group commit but not run yet, to run as one batch by hand."""

    def __init__(self, monkeypatch):
        self.requests = []
        monkeypatch.setattr(batching.GroupCommit, "submit", self._hold)

    def _hold(self, actor, work, on_conflict):
        self.requests.append(batching.Request(actor, work, on_conflict))
        return {"held": True}

    def run(self) -> list:
        """Run every held vote in one batch; each one's result, or the error it raised."""
        batching.run_batch(self.requests)
        outcomes = []
        for request in self.requests:
            try:
                outcomes.append(request.outcome())
            except Exception as error:  # noqa: BLE001 - the error is the outcome under test
                outcomes.append(error)
        return outcomes


@pytest.fixture
def room(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    people = [join(workshop_id, group) for group in ("Carer", "Staff", "Service user or patient")]
    ideas = [cards.add_card(participants.actor_for(people[0]), workshop_id, "responsibility",
                            text)["card"]["id"]
             for text in ("Helps people find support", "Knows local groups", "Explains plans")]
    set_phase(owner, workshop_id, "review", "vote")
    round_id = voting.open_round(actor_of(owner), workshop_id, "dots", budget=3,
                                 max_per_card=2)["round"]["id"]
    return workshop_id, round_id, people, ideas


def vote(room, person, idea, dots, cid):
    workshop_id, round_id, people, ideas = room
    return voting.cast_vote(participants.actor_for(people[person]), workshop_id, round_id,
                            ideas[idea], dots, client_id=cid)


def test_one_batch_commits_every_vote_but_the_refused_one(room, monkeypatch):
    workshop_id, round_id, people, ideas = room
    held = HeldVotes(monkeypatch)
    head = audit.head(workshop_id)[0]
    vote(room, 0, 0, 2, "first-vote-0001")
    vote(room, 1, 1, 2, "second-vote-001")
    vote(room, 0, 2, 2, "over-budget-001")  # 2 + 2 dots of 3: refused
    vote(room, 2, 0, 1, "fourth-vote-001")
    vote(room, 0, 0, 2, "first-vote-0001")  # the first vote, resent in the same batch
    first, second, refused, fourth, resent = held.run()

    assert isinstance(refused, Conflict) and "only have 1 dot left" in refused.message
    assert [first["audit_seq"], second["audit_seq"], fourth["audit_seq"]] == [
        head + 1, head + 2, head + 3]
    assert resent["repeat"] is True and resent["audit_seq"] == first["audit_seq"]
    assert first["votes"]["remaining"] == 1 and fourth["votes"]["remaining"] == 2
    db.session.rollback()
    stored = {(v.participant_id, v.card_id): v.value for v in db.session.scalars(select(Vote))}
    assert stored == {(people[0].id, ideas[0]): 2, (people[1].id, ideas[1]): 2,
                      (people[2].id, ideas[0]): 1}
    assert db.session.scalar(select(Ballot.used).where(Ballot.participant_id == people[0].id)) == 2
    assert sorted(db.session.scalars(select(ClientAction.client_id))) == [
        "first-vote-0001", "fourth-vote-001", "second-vote-001"]
    events = audit.events_for(workshop_id)
    assert [e.action for e in events[:3]] == ["vote.cast"] * 3 and events[0].seq == head + 3
    assert audit.verify(workshop_id).ok


def test_a_batch_whose_commit_fails_answers_every_vote_with_the_error(room, monkeypatch):
    workshop_id, *_ = room
    held = HeldVotes(monkeypatch)
    vote(room, 0, 0, 1, "doomed-vote-001")
    vote(room, 1, 1, 1, "doomed-vote-002")

    def broken_write(_chain):
        raise RuntimeError("the disk is full")
    monkeypatch.setattr(batching.ChainWriter, "write", broken_write)
    outcomes = held.run()
    assert [str(outcome) for outcome in outcomes] == ["the disk is full"] * 2
    db.session.rollback()
    assert db.session.scalars(select(Vote)).all() == []
    assert audit.verify(workshop_id).ok


def test_the_vote_paths_statements_reach_sqlalchemys_events_and_log(room, caplog):
    seen = []

    def count(_conn, _cursor, statement, *_):
        seen.append(" ".join(statement.split()[:3]))
    event.listen(db.engine, "before_cursor_execute", count)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine.Engine")
    try:
        vote(room, 0, 0, 2, "watched-vote-01")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert {"INSERT INTO vote", "SAVEPOINT one_change", "RELEASE SAVEPOINT one_change",
            "INSERT INTO client_action", "INSERT INTO audit_event"} <= set(seen)
    assert "INSERT INTO vote" in caplog.text and "SAVEPOINT one_change" in caplog.text


def test_remembered_facts_are_loaded_once_and_misses_are_not_kept(app):
    loads = []

    def load(value):
        def loader():
            loads.append(value)
            return value
        return loader
    assert fast_path.remembered("test fact", 1, load("one")) == "one"
    assert fast_path.remembered("test fact", 1, load("changed")) == "one"
    assert fast_path.remembered("test fact", 2, load(None)) is None
    assert fast_path.remembered("test fact", 2, load("two")) == "two"
    assert loads == ["one", None, "two"]
