"""Creating and setting up workshops, and keeping each workshop to its own people."""

import pytest

from coprod.domain.access import Action
from coprod.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coprod.domain.roles import clean_role
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import audit, workshops
from coprod.services.access import workshop_for_user

from ..factories import actor_of, make_user, make_workshop


def test_a_new_workshop_has_groups_roles_code_and_an_audit_event(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    workshop = db.session.get(Workshop, workshop_id)
    assert [g.name for g in workshop.constituencies] == ["Service user or patient", "Carer", "Staff"]
    assert [r.title for r in workshop.roles] == [
        "Navigator", "Healthcare Assistant", "Nurse in Community Mental Health Centre"]
    assert len(workshop.join_code) == 6 and workshop.phase == "lobby"
    events = audit.events_for(workshop_id)
    assert [e.action for e in events] == ["workshop.created"]
    assert events[0].payload["roles"][0] == "Navigator"
    assert audit.verify(workshop_id).ok


def test_a_lead_cannot_create_workshops(app):
    lead = make_user("lead")
    with pytest.raises(Forbidden):
        make_workshop(lead)


def test_a_workshop_needs_at_least_one_role(app):
    owner = make_user()
    with pytest.raises(InvalidInput) as raised:
        make_workshop(owner, templates=())
    assert raised.value.field == "roles"
    assert db.session.query(Workshop).count() == 0


def test_another_facilitator_cannot_see_or_change_it(app):
    owner, stranger = make_user(), make_user()
    workshop_id = make_workshop(owner)
    with pytest.raises(NotFound):
        workshop_for_user(stranger.id, workshop_id, Action.READ)
    with pytest.raises(NotFound):
        workshops.update_constituencies(actor_of(stranger), workshop_id, "Hackers")
    assert [g.name for g in db.session.get(Workshop, workshop_id).constituencies][0] == \
        "Service user or patient"


def test_sharing_gives_a_facilitator_the_workshop(app):
    owner, colleague = make_user(), make_user()
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, colleague.email, "facilitator")
    workshops.update_constituencies(actor_of(colleague), workshop_id, "Carer\nStaff\nThird sector")
    assert [w.id for w, _ in workshops.workshops_for(colleague.id)] == [workshop_id]
    assert [e.action for e in audit.events_for(workshop_id)][:2] == [
        "workshop.constituencies_changed", "workshop.shared"]


def test_a_shared_lead_reads_but_cannot_run(app):
    owner, lead = make_user(), make_user("lead")
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, lead.email, "lead")
    workshop_for_user(lead.id, workshop_id, Action.READ)
    with pytest.raises(Forbidden):
        workshops.add_role(actor_of(lead), workshop_id, clean_role("Spy", "", ""))


def test_a_lead_account_cannot_be_given_facilitator_access(app):
    owner, lead = make_user(), make_user("lead")
    workshop_id = make_workshop(owner)
    with pytest.raises(InvalidInput):
        workshops.share(actor_of(owner), workshop_id, lead.email, "facilitator")


def test_only_the_owner_shares(app):
    owner, colleague, other = make_user(), make_user(), make_user()
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, colleague.email, "facilitator")
    with pytest.raises(Forbidden):
        workshops.share(actor_of(colleague), workshop_id, other.email, "facilitator")


def test_groups_people_joined_as_are_retired_not_deleted(app):
    from ..factories import join
    owner = make_user()
    workshop_id = make_workshop(owner)
    join(workshop_id, "Carer")
    workshops.update_constituencies(actor_of(owner), workshop_id, "Service user or patient\nStaff")
    groups = {g.name: g.retired for g in db.session.get(Workshop, workshop_id).constituencies}
    assert groups == {"Service user or patient": False, "Staff": False, "Carer": True}


def test_roles_can_be_added_renamed_and_removed(app):
    owner = make_user()
    workshop_id = make_workshop(owner, templates=("navigator",))
    role_id = workshops.add_role(actor_of(owner), workshop_id,
                                 clean_role("Peer support worker", "Community", "Shares lived experience."))
    workshops.update_role(actor_of(owner), workshop_id, role_id,
                          clean_role("Peer worker", "Community", "Shares lived experience."))
    with pytest.raises(Conflict):
        workshops.add_role(actor_of(owner), workshop_id, clean_role("navigator", "", ""))
    workshops.remove_role(actor_of(owner), workshop_id, role_id)
    actions = [e.action for e in audit.events_for(workshop_id, newest_first=False)]
    assert actions == ["workshop.created", "role.added", "role.changed", "role.removed"]
    assert audit.verify(workshop_id).ok


def test_the_expected_size_is_set_cleared_and_audited(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    workshops.set_expected_size(actor_of(owner), workshop_id, 40)
    workshops.set_expected_size(actor_of(owner), workshop_id, 40)  # unchanged: nothing recorded
    workshops.set_expected_size(actor_of(owner), workshop_id, None)
    changes = [e.payload for e in audit.events_for(workshop_id, newest_first=False)
               if e.action == "settings.expected_size_changed"]
    assert changes == [{"expected_size": [None, 40]}, {"expected_size": [40, None]}]
    assert db.session.get(Workshop, workshop_id).expected_size is None


def test_an_impossible_expected_size_is_refused_and_nothing_changes(app):
    owner, stranger = make_user(), make_user()
    workshop_id = make_workshop(owner)
    with pytest.raises(InvalidInput) as raised:
        workshops.set_expected_size(actor_of(owner), workshop_id, 0)
    assert raised.value.field == "expected_size"
    with pytest.raises(NotFound):
        workshops.set_expected_size(actor_of(stranger), workshop_id, 30)
    assert db.session.get(Workshop, workshop_id).expected_size is None
