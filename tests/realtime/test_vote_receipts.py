"""A vote's receipt is its event on the audit trail; a tally says which events it includes."""

import json

from coprod.extensions import db
from coprod.models import AuditEvent

from .conftest import received
from .test_live_votes import open_vote, vote


def test_the_receipt_names_the_votes_own_event_on_the_audit_trail(room):
    console, phone = room.staff(), room.phone()
    round_id, card_id = open_vote(room, console, phone)
    receipt = vote(phone, round_id, card_id, 1, "vote-receipt-01")["audit_seq"]
    event = db.session.query(AuditEvent).filter_by(workshop_id=room.workshop_id,
                                                   seq=receipt).one()
    assert event.action == "vote.cast"
    assert json.loads(event.payload)["card_id"] == card_id
    # Resending the same tap gets the same receipt; a tap that changes nothing gets none.
    assert vote(phone, round_id, card_id, 1, "vote-receipt-01")["audit_seq"] == receipt
    assert vote(phone, round_id, card_id, 1, "vote-receipt-02")["audit_seq"] is None


def test_a_tally_is_as_of_the_newest_vote_it_counts(room, notifier):
    console, phone = room.staff(), room.phone()
    round_id, card_id = open_vote(room, console, phone, hide_until_reveal=False)
    room.quiet()
    receipt = vote(phone, round_id, card_id, 1, "vote-receipt-03")["audit_seq"]
    notifier.flush()
    tally = received(console, "tally")[-1]
    assert tally["as_of"] >= receipt
    assert tally["cards"][0]["groups"][1]["dots"] == 1
