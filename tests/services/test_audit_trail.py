"""The audit trail is complete, chained, verifiable, and the database refuses to change it."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from coprod.extensions import db
from coprod.services import audit, cards, participants, voting

from ..factories import actor_of, join, make_user, make_workshop, set_phase


def drop_guards():
    """What an attacker with database access would do first."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("DROP TRIGGER audit_event_no_update"))
        db.session.execute(text("DROP TRIGGER audit_event_no_delete"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_change ON audit_event"))
    db.session.commit()


@pytest.fixture
def busy_workshop(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    for group in ("Carer", "Staff", "Service user or patient"):
        join(workshop_id, group)
    return workshop_id


def test_sequence_numbers_run_without_gaps(app, busy_workshop):
    seqs = [e.seq for e in audit.events_for(busy_workshop, newest_first=False)]
    assert seqs == list(range(1, 6))
    assert audit.verify(busy_workshop).ok


def test_the_database_refuses_updates_and_deletes(app, busy_workshop):
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("UPDATE audit_event SET action = 'x' WHERE seq = 2"))
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    db.session.rollback()
    assert audit.verify(busy_workshop).ok


def test_an_edited_row_is_detected_and_named(app, busy_workshop):
    drop_guards()
    db.session.execute(text("UPDATE audit_event SET payload = replace(payload, 'Carer', 'Staff') "
                            "WHERE workshop_id = :w AND seq = 3"), {"w": busy_workshop})
    db.session.commit()
    check = audit.verify(busy_workshop)
    assert not check.ok and check.bad_seq == 3
    assert "event 3" in check.describe()


def test_a_deleted_row_is_detected(app, busy_workshop):
    drop_guards()
    db.session.execute(text("DELETE FROM audit_event WHERE workshop_id = :w AND seq = 4"),
                       {"w": busy_workshop})
    db.session.commit()
    check = audit.verify(busy_workshop)
    assert not check.ok and check.bad_seq == 4


def test_other_chains_are_unaffected(app, busy_workshop):
    other = make_workshop(make_user())
    drop_guards()
    db.session.execute(text("DELETE FROM audit_event WHERE workshop_id = :w AND seq = 5"),
                       {"w": busy_workshop})
    db.session.commit()
    results = {c.key: c.ok for c in audit.verify_all()}
    assert results[f"workshop:{busy_workshop}"] is False
    assert results[f"workshop:{other}"] is True and results["system"] is True


def test_a_vote_over_ideas_past_nine_closes_and_reveals_with_a_verified_trail(app):
    """Issue 10: statuses keyed by ids 9 and 10 once failed verification."""
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    person = join(workshop_id, "Carer")
    ideas = [cards.add_card(participants.actor_for(person), workshop_id, "responsibility",
                            f"Idea number {n}")["card"]["id"] for n in range(1, 13)]
    set_phase(owner, workshop_id, "review", "vote")
    boss = actor_of(owner)
    round_id = voting.open_round(boss, workshop_id, "agree")["round"]["id"]
    for card_id in ideas:
        voting.cast_vote(participants.actor_for(person), workshop_id, round_id, card_id, "agree")
    voting.close_round(boss, workshop_id, round_id)
    voting.reveal(boss, workshop_id, round_id)
    revealed = audit.events_for(workshop_id)[0]
    assert revealed.action == "results.revealed"
    assert min(ideas) <= 9 < 10 <= max(ideas)
    assert set(revealed.payload["statuses"]) == {str(card_id) for card_id in ideas}
    check = audit.verify(workshop_id)
    assert check.ok, check.describe()
