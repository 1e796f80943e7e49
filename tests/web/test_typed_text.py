"""Text typed into the pages: one rule for every field. A character that cannot be stored or
shown exactly (NUL, which PostgreSQL refuses; other control characters, which break the Word
export) is refused on the field it was typed in, and nothing is saved."""

import pytest

from coprod.extensions import db
from coprod.models import Card, Participant, Role, User, Workshop
from coprod.services import audit, participants

from ..conftest import csrf_token
from ..factories import actor_of, group_id, make_user, make_workshop
from .test_auth_pages import sign_in
from .test_join_pages import join_form

UNSTORABLE = {"NUL": "\x00", "a bell": "\x07", "a separator": "\x1c"}
CANNOT_SHOW = "has a character we cannot show. Please retype it."


@pytest.fixture
def signed_in_owner(client, app):
    """A facilitator signed in on the client, and the workshop they own."""
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    return owner, workshop_id


def refused_on(response, field: str) -> bool:
    """Shown again (400) with the kind message in the summary, linked to the field."""
    page = response.get_data(as_text=True)
    return response.status_code == 400 and f'<a href="#{field}">' in page and CANNOT_SHOW in page


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_a_new_workshop_refuses_it_in_every_box(client, app, bad):
    sign_in(client, make_user().email)
    good = {"title": "Designing roles", "held_on": "2027-03-14", "venue": "Carmarthen",
            "constituencies": "Carer\nStaff", "templates": ["navigator"], "other_roles": ""}
    for field, value in (("title", f"Designing{bad} roles"), ("venue", f"Carmarthen{bad}"),
                         ("other_roles", f"Peer support{bad} worker")):
        response = client.post("/workshops/new", data={
            **good, field: value, "csrf_token": csrf_token(client, "/workshops/new")})
        assert refused_on(response, field), field
    assert db.session.query(Workshop).count() == 0


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_set_up_pages_refuse_it_and_change_nothing(client, signed_in_owner, bad):
    owner, workshop_id = signed_in_owner
    page = f"/workshops/{workshop_id}"
    before = audit.head(workshop_id)
    for path, data, field in (
            ("details", {"title": f"New{bad}", "held_on": "2027-03-14", "venue": ""}, "title"),
            ("details", {"title": "New", "held_on": "2027-03-14", "venue": f"Hall{bad}"}, "venue"),
            ("roles", {"title": f"Peer{bad}", "setting": "", "purpose": ""}, "role-title"),
            ("roles", {"title": "Peer", "setting": f"Ward{bad}", "purpose": ""}, "role-setting"),
            ("roles", {"title": "Peer", "setting": "", "purpose": f"Helps{bad}"}, "role-purpose")):
        response = client.post(f"{page}/{path}", data={**data,
                                                       "csrf_token": csrf_token(client, page)})
        assert refused_on(response, field), (path, field)
    assert audit.head(workshop_id) == before
    workshop = db.session.get(Workshop, workshop_id)
    assert workshop.title == "Roles for our community mental health centre"
    assert db.session.query(Role).count() == 3


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_group_lists_refuse_it(client, app, bad):
    owner = make_user()
    sign_in(client, owner.email)
    response = client.post("/workshops/new", data={
        "title": "Designing roles", "held_on": "2027-03-14", "templates": ["navigator"],
        "constituencies": f"Carer\nStaff{bad}Third sector",
        "csrf_token": csrf_token(client, "/workshops/new")})
    assert refused_on(response, "constituencies")
    assert db.session.query(Workshop).count() == 0
    workshop_id = make_workshop(owner)
    page = f"/workshops/{workshop_id}"
    response = client.post(f"{page}/constituencies", data={
        "constituencies": f"Carer{bad}Staff", "csrf_token": csrf_token(client, page)})
    assert refused_on(response, "constituencies")
    assert [group.name for group in db.session.get(Workshop, workshop_id).constituencies] == [
        "Service user or patient", "Carer", "Staff"]


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_a_nickname_refuses_it_and_nobody_joins(client, app, bad):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    response = join_form(client, code, constituency=group_id(workshop_id, "Carer"),
                         nickname=f"Megan{bad}")
    assert refused_on(response, "nickname")
    assert db.session.query(Participant).count() == 0


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_paper_names_and_ideas_refuse_it(client, signed_in_owner, bad):
    owner, workshop_id = signed_in_owner
    page = f"/workshops/{workshop_id}/paper"
    response = client.post(page, data={"name": f"Mr{bad} J", "csrf_token": csrf_token(client, page),
                                       "constituency": group_id(workshop_id, "Carer")})
    assert refused_on(response, "name")
    assert db.session.query(Participant).count() == 0
    person = participants.add_on_paper(actor_of(owner), workshop_id,
                                       group_id(workshop_id, "Carer"), "Mr J")
    response = client.post(f"{page}/{person.id}/cards", data={
        "kind": "responsibility", "role_id": "0", "text": f"Rings people back{bad}",
        "cid": "paper-form-0001", "csrf_token": csrf_token(client, page)})
    assert refused_on(response, "text")
    assert db.session.query(Card).count() == 0


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_an_account_name_refuses_it(client, app, bad):
    admin = make_user("admin")
    sign_in(client, admin.email)
    page = "/admin/accounts"
    response = client.post(page, data={
        "display_name": f"Sam{bad} Jones", "email": "sam@example.org", "role": "facilitator",
        "password": "a long enough password", "confirm": "a long enough password",
        "csrf_token": csrf_token(client, page)})
    assert refused_on(response, "display_name")
    assert db.session.query(User).count() == 1


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_an_email_refuses_it_when_signing_in_and_sharing(client, app, bad):
    """Once a NUL in an email reached PostgreSQL and gave a server error."""
    owner = make_user()
    name, domain = owner.email.split("@")
    response = client.post("/login", data={"email": f"{name}{bad}@{domain}",
                                           "password": "whatever it is",
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 400 and '<a href="#email">' in response.get_data(as_text=True)
    sign_in(client, owner.email)
    workshop_id = make_workshop(owner)
    page = f"/workshops/{workshop_id}"
    before = audit.head(workshop_id)
    response = client.post(f"{page}/share", data={
        "email": f"lead{bad}@example.org", "access": "lead", "csrf_token": csrf_token(client, page)})
    assert response.status_code == 400 and '<a href="#email">' in response.get_data(as_text=True)
    assert audit.head(workshop_id) == before
