"""Joining from a phone: code, consent, group; coming back as the same participant."""

from coprod.extensions import db
from coprod.models import Participant, Workshop

from ..conftest import csrf_token
from ..factories import group_id, make_user, make_workshop, set_phase


def join_form(client, code, **overrides):
    token = csrf_token(client, f"/j/{code}")
    data = {"csrf_token": token, "consent": "y", "nickname": "", **overrides}
    return client.post(f"/j/{code}", data=data)


def test_joining_shows_the_consent_notice_then_the_live_page(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    page = client.get(f"/j/{code}").get_data(as_text=True)
    assert "How we use your answers" in page and "We delete names 12 months after" in page
    assert "kept, without your name" in page  # only names are deleted; the record stays
    assert "Service user or patient" in page and "Only the facilitator sees this" in page
    assert "Up to 40 characters." in page  # the nickname's limit, before anyone reaches it
    response = join_form(client, code, constituency=group_id(workshop_id, "Carer"), nickname="Megan")
    assert response.status_code == 302 and response.headers["Location"] == f"/p/{code}"
    live = client.get(f"/p/{code}").get_data(as_text=True)
    assert "Participant 1" in live and "Carer" in live


def test_coming_back_is_the_same_participant(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    join_form(client, code, constituency=group_id(workshop_id, "Staff"))
    again = client.get(f"/j/{code}")  # e.g. scanned the QR code again after losing signal
    assert again.status_code == 302 and again.headers["Location"] == f"/p/{code}"
    assert db.session.query(Participant).count() == 1


def test_without_consent_nobody_is_added(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    response = join_form(client, code, constituency=group_id(workshop_id, "Carer"), consent="")
    assert response.status_code == 400
    assert "tick the box" in response.get_data(as_text=True)
    assert db.session.query(Participant).count() == 0


def test_a_group_must_be_chosen(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    response = join_form(client, code)
    assert response.status_code == 400
    assert "choose the group" in response.get_data(as_text=True)


def test_a_typed_code_leads_to_the_workshop(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    response = client.post("/join", data={"code": f"{code[:3].lower()} {code[3:].lower()}",
                                          "csrf_token": csrf_token(client, "/join")})
    assert response.status_code == 302 and response.headers["Location"] == f"/j/{code}"


def test_an_unknown_code_says_so_kindly(client, app):
    response = client.post("/join", data={"code": "KKKKKK", "csrf_token": csrf_token(client, "/join")})
    assert response.status_code == 400
    assert "could not find a workshop with that code" in response.get_data(as_text=True)
    assert client.get("/j/KKKKKK").status_code == 404


def test_a_closed_workshop_turns_new_people_away_kindly(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute", "review", "vote", "results", "build", "closed")
    code = db.session.get(Workshop, workshop_id).join_code
    response = client.get(f"/j/{code}")
    assert response.status_code == 404
    assert "has finished" in response.get_data(as_text=True)


def test_the_live_page_without_joining_sends_you_to_join(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    response = client.get(f"/p/{code}")
    assert response.status_code == 302 and response.headers["Location"] == f"/j/{code}"


def test_the_live_page_of_an_unknown_code_says_so_kindly(client, app):
    response = client.get("/p/KKKKKK")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "We could not find a workshop with that code. Please check the code on the screen" in page
    assert 'value="KKKKKK"' in page  # what they tried, ready to correct


def test_someone_who_joined_still_reaches_their_page_after_the_workshop_closed(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    code = db.session.get(Workshop, workshop_id).join_code
    join_form(client, code, constituency=group_id(workshop_id, "Carer"))
    set_phase(owner, workshop_id, "contribute", "review", "vote", "results", "build", "closed")
    again = client.get(f"/j/{code}")  # e.g. the QR code scanned again at the end
    assert again.status_code == 302 and again.headers["Location"] == f"/p/{code}"
    assert "Participant 1" in client.get(f"/p/{code}").get_data(as_text=True)


def test_a_name_of_digits_is_a_name_not_a_number_too_large(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    response = join_form(client, code, constituency=group_id(workshop_id, "Carer"),
                         nickname="07700900123")
    assert response.status_code == 302
    assert db.session.query(Participant).one().nickname == "07700900123"
