"""Joining by code: consent, a group, a pseudonym; bad codes and closed workshops refused."""

import pytest

from coprod.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coprod.domain.joining import RoomLocked
from coprod.extensions import db
from coprod.models import Participant, Workshop
from coprod.services import audit, participants

from ..factories import actor_of, group_id, join, make_user, make_workshop, set_phase


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


# ---- Lock the room ----

def _lock(owner, workshop_id, locked=True):
    from coprod.services import workshops
    return workshops.set_joining_locked(actor_of(owner), workshop_id, locked)


def test_a_locked_room_refuses_a_new_person_and_adds_no_one(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    join(workshop_id)
    _lock(owner, workshop_id)
    with pytest.raises(RoomLocked) as raised:
        join(workshop_id, nickname="Second phone")
    assert str(raised.value.message).startswith("This workshop is not taking new people just now.")
    assert db.session.query(Participant).count() == 1
    joined = [e for e in audit.events_for(workshop_id) if e.action == "participant.joined"]
    assert len(joined) == 1


def test_someone_who_joined_before_gets_back_into_a_locked_room(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    person = join(workshop_id)
    _lock(owner, workshop_id)
    assert participants.returning_participant(workshop_id, person.id).id == person.id
    code = db.session.get(Workshop, workshop_id).join_code
    with pytest.raises(RoomLocked):  # but the join page has nothing for a new person
        participants.workshop_for_newcomer(code)


def test_unlocking_lets_new_people_in_again(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    _lock(owner, workshop_id)
    _lock(owner, workshop_id, False)
    assert join(workshop_id).number == 1


def test_helpers_and_vote_too_still_add_people_to_a_locked_room(app):
    # Staff add someone deliberately, in the room: the lock is for devices nobody vouched for.
    owner = make_user()
    workshop_id = make_workshop(owner)
    _lock(owner, workshop_id)
    on_paper = participants.add_on_paper(actor_of(owner), workshop_id,
                                         group_id(workshop_id, "Carer"), "J. B.")
    voting_too = participants.join_as_staff(actor_of(owner), workshop_id,
                                            group_id(workshop_id, "Staff"))
    assert on_paper.on_paper and voting_too.user_id == owner.id


def test_locking_and_unlocking_are_audited_once_each(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    assert _lock(owner, workshop_id) == {"locked": True}
    assert _lock(owner, workshop_id) == {"locked": True}  # already locked: nothing new to record
    assert _lock(owner, workshop_id, False) == {"locked": False}
    actions = [e.action for e in audit.events_for(workshop_id, newest_first=False)]
    assert actions[-2:] == ["room.locked", "room.unlocked"]
    assert actions.count("room.locked") == 1
    assert audit.verify(workshop_id).ok


def test_only_someone_running_the_workshop_locks_it(app):
    owner, stranger, lead = make_user(), make_user(), make_user("lead")
    workshop_id = make_workshop(owner)
    from coprod.services import workshops
    workshops.share(actor_of(owner), workshop_id, lead.email, "lead")
    for outsider in (stranger, lead):
        with pytest.raises((NotFound, Forbidden)):
            _lock(outsider, workshop_id)
    assert db.session.get(Workshop, workshop_id).joining_locked is False


def test_the_pace_counts_people_here_against_the_expected_size(app):
    from coprod.services import workshops
    owner = make_user()
    workshop_id = make_workshop(owner)
    workshops.set_expected_size(actor_of(owner), workshop_id, 2)
    for _ in range(3):
        join(workshop_id)
    pace = participants.join_pace(db.session.get(Workshop, workshop_id))
    assert (pace.total, pace.expected_size, pace.last_minute) == (3, 2, 3)
    assert pace.warnings == ["over_expected"]


@pytest.mark.parametrize("access_ends", ["unshared", "switched off"])
def test_vote_too_ends_when_the_accounts_access_ends(app, access_ends):
    from coprod.services import accounts, workshops
    owner, colleague = make_user(), make_user()
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, colleague.email, "facilitator")
    voter = participants.join_as_staff(actor_of(colleague), workshop_id,
                                       group_id(workshop_id, "Staff"))
    assert participants.returning_participant(workshop_id, voter.id) is not None

    if access_ends == "unshared":
        workshops.unshare(actor_of(owner), workshop_id, colleague.id)
    else:
        accounts.set_enabled(actor_of(make_user("admin")), colleague.id, False)

    # Their laptop's "Vote too" link no longer lets anyone in as them.
    assert participants.returning_participant(workshop_id, voter.id) is None
