"""Vote rounds through the services: budgets, per-card limits, refusals, results and reveals."""

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from coprod.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coprod.extensions import db
from coprod.models import Ballot, Vote
from coprod.services import audit, cards, participants, phases, voting, workshops
from coprod.services.events import Audience, Event

from ..factories import actor_of, join, make_user, make_workshop, set_phase
from ..support.databases import BACKEND


class Room:
    def __init__(self):
        self.owner = make_user()
        self.workshop_id = make_workshop(self.owner)
        set_phase(self.owner, self.workshop_id, "contribute")
        self.people = {name: join(self.workshop_id, group) for name, group in (
            ("ann", "Service user or patient"), ("bea", "Service user or patient"),
            ("cai", "Carer"), ("dee", "Carer"), ("eve", "Staff"), ("fay", "Staff"), ("gus", "Staff"))}
        self.cards = [cards.add_card(participants.actor_for(self.people["ann"]), self.workshop_id,
                                     "responsibility", text, client_id=None)["card"]["id"]
                      for text in ("Helps people find support", "Knows local groups",
                                   "Explains care plans")]
        set_phase(self.owner, self.workshop_id, "review", "vote")

    @property
    def boss(self):
        return actor_of(self.owner)

    def open(self, mode="dots", **options):
        return voting.open_round(self.boss, self.workshop_id, mode, **options)["round"]["id"]

    def vote(self, who, round_id, card, value, cid=None):
        return voting.cast_vote(participants.actor_for(self.people[who]), self.workshop_id,
                                round_id, card, value, client_id=cid)


@pytest.fixture
def room(app):
    return Room()


def test_dots_are_spent_and_given_back(room):
    round_id = room.open(budget=5, max_per_card=2)
    assert room.vote("ann", round_id, room.cards[0], 2)["votes"]["remaining"] == 3
    assert room.vote("ann", round_id, room.cards[1], 2)["votes"]["remaining"] == 1
    mine = room.vote("ann", round_id, room.cards[1], 0)["votes"]
    assert mine["remaining"] == 3 and mine["votes"] == {str(room.cards[0]): 2}


def test_going_over_the_budget_is_refused_and_changes_nothing(room):
    round_id = room.open(budget=3, max_per_card=2)
    room.vote("ann", round_id, room.cards[0], 2)
    with pytest.raises(Conflict, match="only have 1 dot left"):
        room.vote("ann", round_id, room.cards[1], 2)
    assert db.session.query(Vote).count() == 1
    with pytest.raises(InvalidInput, match="between 0 and 2 dots"):
        room.vote("ann", round_id, room.cards[2], 3)


def test_the_database_refuses_a_ballot_over_budget_or_a_vote_over_the_card_limit(room):
    round_id = room.open(budget=3, max_per_card=2)
    room.vote("ann", round_id, room.cards[0], 2)
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE ballot SET used = 4"))
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE vote SET value = 3"))
    db.session.rollback()
    with pytest.raises(IntegrityError):  # the copy of the limit must match the round's
        db.session.execute(text("UPDATE vote SET cap = 5, value = 3"))
    db.session.rollback()
    with pytest.raises(IntegrityError):  # one vote per person, card and round
        db.session.execute(text(
            "INSERT INTO vote (round_id, card_id, participant_id, value, cap, updated_at) "
            "SELECT round_id, card_id, participant_id, 1, cap, updated_at FROM vote"))
    db.session.rollback()
    for loophole in (
            "UPDATE ballot SET budget = NULL, used = 99",  # no budget, so no limit to check
            "UPDATE ballot SET mode = 'agree', budget = NULL, used = 99",  # pretend no dots
            "UPDATE vote SET value = -1",  # a negative dot takes support away
            "UPDATE vote SET value = 0",  # no dots is no vote, not a row
            "UPDATE vote SET mode = 'agree', value = -1"):  # pretend it is a "disagree"
        with pytest.raises(IntegrityError):
            db.session.execute(text(loophole))
        db.session.rollback()
    assert (db.session.query(Ballot).one().used, db.session.query(Vote).one().value) == (2, 2)


def test_the_database_still_takes_disagree_and_ballots_without_a_budget_in_agree_rounds(room):
    round_id = room.open("agree")
    room.vote("ann", round_id, room.cards[0], "disagree")
    assert (db.session.query(Vote).one().value, db.session.query(Ballot).one().budget) == (-1, None)
    with pytest.raises(IntegrityError):  # but an agree ballot cannot claim a dot budget
        db.session.execute(text("UPDATE ballot SET budget = 5"))
    db.session.rollback()


def test_a_repeated_client_id_counts_once(room):
    round_id = room.open()
    first = room.vote("ann", round_id, room.cards[0], 1, cid="vote-cid-000001")
    again = room.vote("ann", round_id, room.cards[0], 1, cid="vote-cid-000001")
    assert again["repeat"] is True and again["votes"] == first["votes"]
    assert db.session.query(Ballot).one().used == 1


def test_votes_outside_an_open_round_are_refused(room):
    with pytest.raises(NotFound, match="Voting is not open"):
        room.vote("ann", 999, room.cards[0], 1)
    round_id = room.open()
    voting.close_round(room.boss, room.workshop_id, round_id)
    with pytest.raises(Conflict, match="Voting is not open"):
        room.vote("ann", round_id, room.cards[0], 1)
    assert db.session.query(Vote).count() == 0


def test_votes_for_hidden_or_foreign_cards_are_refused(room):
    round_id = room.open()
    cards.hide_card(room.boss, room.workshop_id, room.cards[2], "Duplicate")
    with pytest.raises(Conflict, match="no longer on the screen"):
        room.vote("ann", round_id, room.cards[2], 1)
    other = make_workshop(room.owner)
    set_phase(room.owner, other, "contribute")
    stranger = join(other)
    foreign = cards.add_card(participants.actor_for(stranger), other, "competence",
                             "Not from this room")["card"]["id"]
    with pytest.raises(NotFound):
        room.vote("ann", round_id, foreign, 1)
    with pytest.raises(NotFound):  # and a participant of another workshop cannot vote here
        voting.cast_vote(participants.actor_for(stranger), room.workshop_id, round_id,
                         room.cards[0], 1)
    assert db.session.query(Vote).count() == 0


def test_the_facilitator_does_not_vote_unless_they_opt_in(room):
    round_id = room.open()
    with pytest.raises(Forbidden, match="do not vote unless they choose to"):
        voting.cast_vote(room.boss, room.workshop_id, round_id, room.cards[0], 1)
    from ..factories import group_id
    me = participants.join_as_staff(room.boss, room.workshop_id, group_id(room.workshop_id, "Staff"))
    assert me.user_id == room.owner.id
    result = voting.cast_vote(participants.actor_for(me), room.workshop_id, round_id,
                              room.cards[0], 1)
    assert result["votes"]["remaining"] == 4


def test_one_round_at_a_time_and_only_in_the_vote_phase(room):
    round_id = room.open()
    with pytest.raises(Conflict, match="already open"):
        room.open()
    with pytest.raises(Conflict, match="close the vote before moving on"):
        phases.set_phase(room.boss, room.workshop_id, "results")
    voting.close_round(room.boss, room.workshop_id, round_id)
    phases.set_phase(room.boss, room.workshop_id, "results")
    with pytest.raises(Conflict, match="Vote phase first"):
        room.open()


def test_results_are_per_group_and_follow_the_consensus_rule(room):
    round_id = room.open("agree")
    helps, knows, explains = room.cards
    for who in ("ann", "bea", "cai", "dee", "eve", "fay", "gus"):
        room.vote(who, round_id, helps, "agree")
    for who, answer in (("ann", "agree"), ("bea", "agree"), ("cai", "agree"), ("dee", "agree"),
                        ("eve", "disagree"), ("fay", "disagree"), ("gus", "unsure")):
        room.vote(who, round_id, knows, answer)
    room.vote("ann", round_id, explains, "agree")
    room.vote("eve", round_id, explains, "disagree")
    voting.close_round(room.boss, room.workshop_id, round_id)
    published = []
    from flask import current_app
    current_app.extensions["coprod.publisher"] = published.extend
    outcome = voting.reveal(room.boss, room.workshop_id, round_id)["results"]
    by_card = {card["card_id"]: card for card in outcome["cards"]}
    assert by_card[helps]["status"] == "agreed"
    assert by_card[knows]["status"] == "divisive"
    assert by_card[explains]["status"] == "open"  # no group had 2 voters
    staff = {g["name"]: g for g in by_card[knows]["groups"]}["Staff"]
    assert (staff["voters"], staff["supporters"], staff["share"]) == (3, 0, 0)
    assert [card["card_id"] for card in outcome["cards"]][0] == helps
    revealed = [e for e in published if isinstance(e, Event) and e.name == "results.revealed"]
    assert revealed and revealed[0].audience == Audience.EVERYONE


def test_results_stay_hidden_until_revealed_and_reveal_needs_a_closed_round(room):
    round_id = room.open()
    with pytest.raises(Conflict, match="close the vote before showing"):
        voting.reveal(room.boss, room.workshop_id, round_id)
    voting.close_round(room.boss, room.workshop_id, round_id)
    voting.reveal(room.boss, room.workshop_id, round_id)
    with pytest.raises(Conflict, match="already showing"):
        voting.reveal(room.boss, room.workshop_id, round_id)


def test_changing_the_threshold_is_audited_and_changes_the_status(room):
    round_id = room.open("agree")
    for who, answer in (("ann", "agree"), ("bea", "unsure"), ("cai", "agree"), ("dee", "agree"),
                        ("eve", "agree"), ("fay", "agree"), ("gus", "agree")):
        room.vote(who, round_id, room.cards[0], answer)
    from coprod.models import VoteRound, Workshop
    vote_round, workshop = db.session.get(VoteRound, round_id), db.session.get(Workshop, room.workshop_id)
    first = {c["card_id"]: c["status"] for c in voting.results(vote_round, workshop)["cards"]}
    assert first[room.cards[0]] == "divisive"  # service users 50 %, the others 100 %
    workshops.update_consensus(room.boss, room.workshop_id, 50, 2, 30)
    db.session.refresh(workshop)
    second = {c["card_id"]: c["status"] for c in voting.results(vote_round, workshop)["cards"]}
    assert second[room.cards[0]] == "agreed"
    changed = audit.events_for(room.workshop_id)[0]
    assert changed.action == "settings.consensus_changed"
    assert changed.payload["consensus_threshold"] == [60, 50]
    with pytest.raises(InvalidInput):
        workshops.update_consensus(room.boss, room.workshop_id, 150, 2, 30)


def test_helpers_vote_for_paper_participants_and_it_shows(room):
    from ..factories import group_id
    helper = make_user("helper")
    workshops.share(room.boss, room.workshop_id, helper.email, "helper")
    paper = participants.add_on_paper(actor_of(helper), room.workshop_id,
                                      group_id(room.workshop_id, "Carer"), "Mr J")
    acting = participants.helper_actor(actor_of(helper), room.workshop_id, paper.id)
    round_id = room.open()
    voting.cast_vote(acting, room.workshop_id, round_id, room.cards[0], 2)
    vote = db.session.query(Vote).one()
    assert vote.entered_by_user_id == helper.id
    event = audit.events_for(room.workshop_id)[0]
    assert event.action == "vote.cast" and event.actor["kind"] == "helper"
    assert event.actor["participant_id"] == paper.id and event.actor["constituency"] == "Carer"
    from coprod.models import VoteRound, Workshop
    results = voting.results(db.session.get(VoteRound, round_id),
                             db.session.get(Workshop, room.workshop_id))
    carer = {g["name"]: g for g in results["cards"][0]["groups"]}["Carer"]
    assert carer["entered_by_helper"] == 1
    with pytest.raises(Forbidden):  # a helper cannot vote for someone who has a phone
        voting.cast_vote(actor_of(helper).acting_for(room.people["cai"].id, "Carer"),
                         room.workshop_id, round_id, room.cards[0], 1)


def test_votes_and_rounds_are_on_the_audit_trail(room):
    round_id = room.open()
    room.vote("ann", round_id, room.cards[0], 1)
    room.vote("ann", round_id, room.cards[0], 2)
    room.vote("ann", round_id, room.cards[0], 0)
    voting.close_round(room.boss, room.workshop_id, round_id)
    voting.reveal(room.boss, room.workshop_id, round_id)
    actions = [e.action for e in audit.events_for(room.workshop_id, newest_first=False)]
    assert actions[-6:] == ["round.opened", "vote.cast", "vote.changed", "vote.withdrawn",
                            "round.closed", "results.revealed"]
    assert audit.verify(room.workshop_id).ok


only_postgresql = pytest.mark.skipif(
    BACKEND != "postgresql", reason="SQLite runs one write transaction at a time (BEGIN "
    "IMMEDIATE), so a vote and a close cannot overlap there")


def in_a_thread(app, work) -> tuple[threading.Thread, dict]:
    """Run `work()` in its own thread and app context; the outcome lands in the dict."""
    outcome = {}

    def run():
        with app.app_context():
            try:
                outcome["result"] = work()
            except Exception as error:  # handed to the test to look at
                outcome["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_until_someone_waits_for_a_lock() -> None:
    """Block until another connection is waiting for a row lock (or fail after 10 seconds)."""
    with db.engine.connect() as watcher:
        deadline = time.monotonic() + 10
        while not watcher.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
            assert time.monotonic() < deadline, "nobody waited for the lock"
            watcher.rollback()
            time.sleep(0.02)


@only_postgresql
def test_a_vote_that_arrives_while_the_vote_closes_waits_and_is_then_refused(room, app):
    round_id = room.open()
    room.vote("ann", round_id, room.cards[0], 1)
    with db.engine.connect() as closing:  # a close half way through, holding the round
        closing.execute(text("SELECT id FROM vote_round WHERE id = :r FOR UPDATE"), {"r": round_id})
        closing.execute(text("UPDATE vote_round SET state = 'closed' WHERE id = :r"), {"r": round_id})
        thread, outcome = in_a_thread(app, lambda: room.vote("bea", round_id, room.cards[0], 1))
        wait_until_someone_waits_for_a_lock()
        assert thread.is_alive()  # the vote waits for the close to finish
        closing.commit()
    thread.join(10)
    assert isinstance(outcome.get("error"), Conflict), outcome
    assert "Voting is not open" in str(outcome["error"])
    assert db.session.query(Vote).count() == 1  # only the vote from before the close


@only_postgresql
def test_closing_waits_for_a_vote_in_flight_and_counts_it(room, app):
    round_id = room.open()
    bea = room.people["bea"].id
    with db.engine.connect() as voting_now:  # a vote in flight: its ballot taken, not committed
        voting_now.execute(text(
            "INSERT INTO ballot (round_id, participant_id, budget, mode, used) "
            "SELECT id, :who, budget, mode, 1 FROM vote_round WHERE id = :r FOR KEY SHARE"),
            {"who": bea, "r": round_id})
        voting_now.execute(text(
            "INSERT INTO vote (round_id, card_id, participant_id, value, cap, mode, updated_at) "
            "VALUES (:r, :card, :who, 1, 2, 'dots', now())"),
            {"r": round_id, "card": room.cards[0], "who": bea})
        thread, outcome = in_a_thread(
            app, lambda: voting.close_round(room.boss, room.workshop_id, round_id))
        wait_until_someone_waits_for_a_lock()
        assert thread.is_alive()  # closing waits for the vote to be committed
        voting_now.commit()
    thread.join(10)
    assert outcome.get("result", {}).get("round", {}).get("state") == "closed", outcome
    closed = audit.events_for(room.workshop_id)[0]
    assert closed.action == "round.closed" and closed.payload["voters"] == {
        "Service user or patient": 1, "Carer": 0, "Staff": 0}  # the vote is in the count
