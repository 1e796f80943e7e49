"""Return codes: a participant who chooses it keeps their number and group in the next session."""

from datetime import date, timedelta

import pytest

from coprod.domain.clock import utcnow
from coprod.domain.errors import InvalidInput
from coprod.domain.return_codes import UNUSABLE, normalise_return_code
from coprod.extensions import db
from coprod.models import Constituency, Participant, ReturnCode, Workshop
from coprod.services import audit, cards, participants, return_codes
from coprod.services.carry import start_next_session
from coprod.services.workshops import WorkshopDetails

from ..factories import actor_of, group_id, join, make_user, make_workshop, set_phase


def next_session(owner, workshop_id: int) -> int:
    """Session 2 of the workshop's project (session 1 has started, as a real one would have)."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop.phase == "lobby":
        set_phase(owner, workshop_id, "contribute")
    return start_next_session(actor_of(owner), workshop.project_id,
                              WorkshopDetails("Session 2", date(2027, 4, 11), "Carmarthen"))


def join_with(workshop_id: int, code: str, group: str | None = "Staff", as_new: bool = False):
    join_code = db.session.get(Workshop, workshop_id).join_code
    chosen = group_id(workshop_id, group) if group else None
    return participants.join(join_code, chosen, None, True, return_code=code, as_new=as_new)


def ask(person: Participant) -> dict:
    return return_codes.ask(participants.actor_for(person), person.workshop_id)


def people_in(workshop_id: int) -> int:
    return db.session.query(Participant).filter_by(workshop_id=workshop_id).count()


def test_a_participant_asking_twice_sees_the_same_code_and_the_trail_keeps_only_its_end(app):
    workshop_id = make_workshop(make_user())
    person = join(workshop_id, "Carer", nickname="Megan")
    first, again = ask(person), ask(person)
    assert first["code"] == again["code"]
    assert len(first["code"]) == 9 and first["code"][4] == "-"  # "KXMR-3PQT"
    assert first["expires_at"].date() == (utcnow() + timedelta(days=180)).date()
    issued = [e for e in audit.events_for(workshop_id) if e.action == "return_code.issued"]
    assert len(issued) == 1  # asking again made no second code
    payload = issued[0].payload
    assert payload["participant_id"] == person.id and payload["number"] == person.number
    assert payload["by"] == "participant"
    stored = normalise_return_code(first["code"])
    assert payload["code_ends"] == stored[-2:]
    assert stored not in str(payload) and "Megan" not in str(payload)
    assert audit.verify(workshop_id).ok


def test_a_facilitator_issues_the_code_the_person_would_see(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    person = join(workshop_id, "Staff")
    issued = return_codes.issue(actor_of(owner), workshop_id, person.id)
    assert ask(person)["code"] == issued["code"]
    assert [card["code"] for card in return_codes.codes_for(workshop_id)] == [issued["code"]]
    event = [e for e in audit.events_for(workshop_id) if e.action == "return_code.issued"][0]
    assert event.payload["by"] == "facilitator" and event.actor["user_id"] == owner.id


def test_joining_with_a_code_keeps_number_and_group_and_shows_ideas_from_last_time(app):
    owner = make_user()
    first_id = make_workshop(owner)
    join(first_id, "Staff")
    person = join(first_id, "Carer", nickname="Megan")
    set_phase(owner, first_id, "contribute")
    cards.add_card(participants.actor_for(person), first_id, "responsibility",
                   "Phone people the day before their appointment")
    code = ask(person)["code"]
    second_id = next_session(owner, first_id)

    back = join_with(second_id, code.lower().replace("-", " "), group="Staff")  # typed loosely

    assert (back.number, back.constituency.name) == (person.number, "Carer")  # not "Staff"
    assert back.returned_from_id == person.id and back.nickname is None  # the name stays behind
    row = db.session.query(ReturnCode).one()
    assert row.used_at is not None and row.used_by_participant_id == back.id
    joined = [e for e in audit.events_for(second_id) if e.action == "participant.joined"][-1]
    assert joined.payload["returning"] is True
    assert joined.payload["returned_from_participant_id"] == person.id
    assert [card.text for card in return_codes.ideas_from_last_time(back)] == [
        "Phone people the day before their appointment"]
    assert audit.verify(second_id).ok and audit.verify(first_id).ok


def test_ideas_from_last_time_follow_the_person_back_through_every_session(app):
    owner = make_user()
    first_id = make_workshop(owner)
    person = join(first_id, "Carer")
    set_phase(owner, first_id, "contribute")
    cards.add_card(participants.actor_for(person), first_id, "competence", "Knows local groups")
    second_id = next_session(owner, first_id)
    middle = join_with(second_id, ask(person)["code"])
    set_phase(owner, second_id, "contribute")
    cards.add_card(participants.actor_for(middle), second_id, "responsibility", "Visits at home")
    third_id = next_session(owner, second_id)
    last = join_with(third_id, ask(middle)["code"])
    assert last.number == person.number
    assert sorted(card.text for card in return_codes.ideas_from_last_time(last)) == [
        "Knows local groups", "Visits at home"]


def test_someone_new_never_gets_a_number_already_used_in_the_project(app):
    owner = make_user()
    first_id = make_workshop(owner)
    people = [join(first_id, group) for group in ("Carer", "Staff", "Carer")]
    code = ask(people[1])["code"]
    second_id = next_session(owner, first_id)
    newcomer = join(second_id, "Staff")
    back = join_with(second_id, code)
    assert back.number == people[1].number
    assert newcomer.number not in {person.number for person in people}


def _code_for(owner, kind: str):
    """A session 2 and a return code that must not work there, for each way a code goes wrong."""
    first_id = make_workshop(owner)
    person = join(first_id, "Carer")
    code = ask(person)["code"]
    second_id = next_session(owner, first_id)
    if kind == "unknown":
        code = "KXMR-3PQT" if normalise_return_code(code) != "KXMR3PQT" else "KXMR-3PQA"
    elif kind == "not a code":
        code = "hello"
    elif kind == "expired":
        db.session.query(ReturnCode).update({"expires_at": utcnow() - timedelta(minutes=1)})
        db.session.commit()
    elif kind == "used":
        join_with(second_id, code)
    elif kind == "another project":
        other = next_session(owner, make_workshop(owner, title="Another project"))
        return other, code
    elif kind == "removed":
        participants.remove(actor_of(owner), first_id, person.id)
    elif kind == "this session":
        newcomer = join(second_id, "Staff")
        code = ask(newcomer)["code"]
    return second_id, code


@pytest.mark.parametrize("kind", ["unknown", "not a code", "expired", "used", "another project",
                                  "removed", "this session"])
def test_a_code_that_cannot_be_used_gets_one_kind_message_and_nothing_is_stored(app, kind):
    owner = make_user()
    workshop_id, code = _code_for(owner, kind)
    before = people_in(workshop_id)
    used_before = db.session.query(ReturnCode).filter(ReturnCode.used_at.is_not(None)).count()
    with pytest.raises(InvalidInput) as raised:
        join_with(workshop_id, code)
    assert (raised.value.field, raised.value.message) == ("return_code", UNUSABLE)
    db.session.rollback()
    assert people_in(workshop_id) == before
    assert db.session.query(ReturnCode).filter(
        ReturnCode.used_at.is_not(None)).count() == used_before


def test_a_used_code_is_refused_the_second_time(app):
    owner = make_user()
    first_id = make_workshop(owner)
    code = ask(join(first_id, "Carer"))["code"]
    second_id = next_session(owner, first_id)
    join_with(second_id, code)
    with pytest.raises(InvalidInput):
        join_with(second_id, code)
    assert people_in(second_id) == 1


def test_joining_as_someone_new_is_the_persons_choice_after_a_code_fails(app):
    owner = make_user()
    first_id = make_workshop(owner)
    person = join(first_id, "Carer")
    second_id = next_session(owner, first_id)
    newcomer = join_with(second_id, "KXMR-3PQT", group="Staff", as_new=True)
    assert newcomer.returned_from_id is None and newcomer.number != person.number
    assert newcomer.constituency.name == "Staff"


def test_removing_someone_ends_their_unused_code(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    person = join(workshop_id, "Carer")
    ask(person)
    participants.remove(actor_of(owner), workshop_id, person.id)
    assert db.session.query(ReturnCode).one().expires_at <= utcnow()
    assert return_codes.codes_for(workshop_id) == []


def test_when_their_group_is_gone_a_returning_person_chooses_one(app):
    owner = make_user()
    first_id = make_workshop(owner, groups="Service user or patient\nCarer\nStaff\nThird sector")
    code = ask(join(first_id, "Third sector"))["code"]
    second_id = next_session(owner, first_id)
    db.session.query(Constituency).filter_by(workshop_id=second_id, name="Third sector").update(
        {"retired": True})
    db.session.commit()
    with pytest.raises(InvalidInput) as raised:
        join_with(second_id, code, group=None)
    assert raised.value.field == "constituency"
    db.session.rollback()
    assert db.session.query(ReturnCode).one().used_at is None  # the code still works
    back = join_with(second_id, code, group="Staff")
    assert back.constituency.name == "Staff" and back.returned_from_id is not None
