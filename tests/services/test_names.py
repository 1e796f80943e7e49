"""Names are personal data kept off the audit trail, removed on request or when retention ends."""

from datetime import date

from coprod.domain.consent import names_expire_on
from coprod.extensions import db
from coprod.models import Participant
from coprod.services import audit, participants

from ..factories import actor_of, join, make_user, make_workshop


def test_names_expire_after_the_retention_months():
    assert names_expire_on(date(2027, 3, 14), 12) == date(2028, 3, 14)
    assert names_expire_on(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert names_expire_on(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_the_facilitator_removes_a_name_and_the_chain_still_verifies(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    person = join(workshop_id, "Carer", nickname="Megan")
    result = participants.forget_name(actor_of(owner), workshop_id, person.id)
    assert result["participant"]["nickname"] is None
    assert db.session.get(Participant, person.id).nickname is None
    assert audit.events_for(workshop_id)[0].action == "participant.name_removed"
    assert audit.verify(workshop_id).ok


def test_expired_workshops_lose_their_names_and_recent_ones_keep_them(app):
    owner = make_user()
    old, recent = make_workshop(owner), make_workshop(owner)
    join(old, "Carer", nickname="Megan")
    join(recent, "Staff", nickname="Rhys")
    # make_workshop holds workshops on 14 March 2027, kept 12 months
    assert participants.erase_expired_names(date(2028, 3, 13)) == {}
    from coprod.models import Workshop
    db.session.get(Workshop, recent).held_on = date(2028, 1, 1)
    db.session.commit()
    assert participants.erase_expired_names(date(2028, 3, 14)) == {old: 1}
    names = {p.workshop_id: p.nickname for p in db.session.query(Participant)}
    assert names == {old: None, recent: "Rhys"}
    assert audit.verify(old).ok
    result = app.test_cli_runner().invoke(args=["erase-expired-names"])
    assert result.exit_code == 0 and "Deleted" in result.output
