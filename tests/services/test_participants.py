"""Joining by code: consent, a group, a pseudonym; bad codes and closed workshops refused."""

import pytest

from coprod.domain.errors import Conflict, InvalidInput, NotFound
from coprod.extensions import db
from coprod.models import Participant, Workshop
from coprod.services import audit, participants

from ..factories import group_id, join, make_user, make_workshop, set_phase


def test_joining_records_group_number_and_consent_but_keeps_the_name_off_the_chain(app):
    workshop_id = make_workshop(make_user())
    first = join(workshop_id, "Carer", nickname="Megan")
    second = join(workshop_id, "Staff")
    assert (first.number, second.number) == (1, 2)
    assert first.pseudonym == "Participant 1" and first.nickname == "Megan"
    joined = [e for e in audit.events_for(workshop_id) if e.action == "participant.joined"]
    assert {e.payload["constituency"] for e in joined} == {"Carer", "Staff"}
    assert "Megan" not in str([(e.actor, e.payload) for e in joined])


def test_a_code_typed_loosely_still_works(app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    typed = f" {code[:3].lower()}-{code[3:]} "
    person = participants.join(typed, group_id(workshop_id, "Carer"), None, True)
    assert person.workshop_id == workshop_id


def test_an_unknown_code_gets_a_kind_message(app):
    with pytest.raises(NotFound) as raised:
        participants.join("KKKKKK", 1, None, True)
    assert "check the code" in raised.value.message


def test_a_closed_workshop_takes_no_one_new(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute", "review", "vote", "results", "build", "closed")
    with pytest.raises(Conflict) as raised:
        join(workshop_id)
    assert "finished" in raised.value.message


def test_consent_is_required(app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    with pytest.raises(InvalidInput) as raised:
        participants.join(code, group_id(workshop_id, "Carer"), None, False)
    assert raised.value.field == "consent"
    assert db.session.query(Participant).count() == 0


def test_a_group_from_another_workshop_is_refused(app):
    owner = make_user()
    mine, theirs = make_workshop(owner), make_workshop(owner)
    code = db.session.get(Workshop, mine).join_code
    with pytest.raises(InvalidInput):
        participants.join(code, group_id(theirs, "Carer"), None, True)


def test_returning_participant_only_within_their_workshop(app):
    owner = make_user()
    mine, theirs = make_workshop(owner), make_workshop(owner)
    person = join(mine)
    assert participants.returning_participant(mine, person.id).id == person.id
    assert participants.returning_participant(theirs, person.id) is None


def test_counts_list_every_group(app):
    workshop_id = make_workshop(make_user())
    join(workshop_id, "Carer")
    join(workshop_id, "Carer")
    counts = {c["name"]: c["count"] for c in participants.counts_by_constituency(workshop_id)}
    assert counts == {"Service user or patient": 0, "Carer": 2, "Staff": 0}
