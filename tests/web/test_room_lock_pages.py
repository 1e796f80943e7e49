"""A locked room on the join pages: a new person is turned away kindly (403), someone who joined
before goes straight back in."""

from coprod.extensions import db
from coprod.models import Participant, Workshop
from coprod.services import workshops

from ..conftest import csrf_token
from ..factories import actor_of, group_id, make_user, make_workshop
from .test_join_pages import join_form

TURNED_AWAY = "This workshop is not taking new people just now. Please ask the facilitator."


def locked_workshop():
    owner = make_user()
    workshop_id = make_workshop(owner)
    return owner, workshop_id, db.session.get(Workshop, workshop_id).join_code


def test_a_new_person_at_a_locked_room_gets_a_kind_403_and_no_form(app):
    owner, workshop_id, code = locked_workshop()
    workshops.set_joining_locked(actor_of(owner), workshop_id, True)
    newcomer = app.test_client()
    for response in (newcomer.get(f"/j/{code}"),
                     newcomer.post("/join", data={"code": code,
                                                  "csrf_token": csrf_token(newcomer, "/join")},
                                   follow_redirects=True)):
        page = response.get_data(as_text=True)
        assert response.status_code == 403
        assert TURNED_AWAY in page
        assert "How we use your answers" not in page  # no consent form to fill in for nothing
    assert db.session.query(Participant).count() == 0


def test_a_consent_form_sent_after_the_room_was_locked_adds_no_one(app):
    owner, workshop_id, code = locked_workshop()
    phone = app.test_client()
    token = csrf_token(phone, f"/j/{code}")  # the form was open before the lock
    workshops.set_joining_locked(actor_of(owner), workshop_id, True)
    response = phone.post(f"/j/{code}", data={"csrf_token": token, "consent": "y",
                                              "constituency": group_id(workshop_id, "Carer")})
    assert response.status_code == 403 and TURNED_AWAY in response.get_data(as_text=True)
    assert db.session.query(Participant).count() == 0


def test_someone_who_joined_before_the_lock_goes_straight_back_in(app):
    owner, workshop_id, code = locked_workshop()
    phone = app.test_client()
    join_form(phone, code, constituency=group_id(workshop_id, "Carer"))
    workshops.set_joining_locked(actor_of(owner), workshop_id, True)
    back = phone.get(f"/j/{code}")
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/p/{code}")
    assert phone.get(f"/p/{code}").status_code == 200
