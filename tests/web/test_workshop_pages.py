"""The facilitator's pages, and that nobody reaches a workshop that is not theirs."""

from coprod.extensions import db
from coprod.models import Workshop

from ..conftest import csrf_token
from ..factories import join, make_user, make_workshop
from .test_auth_pages import sign_in


def test_a_facilitator_creates_a_workshop_through_the_form(client, app):
    sign_in(client, make_user().email)
    form = client.get("/workshops/new").get_data(as_text=True)
    assert 'name="templates" type="checkbox" value="navigator" checked' in form
    assert "community mental health centre. Up to 120 characters." in form  # title's limit
    response = client.post("/workshops/new", data={
        "title": "Designing the Navigator role", "held_on": "2027-03-14", "venue": "Carmarthen",
        "constituencies": "Service user or patient\nCarer\nStaff\nThird sector",
        "templates": ["navigator", "hca"], "other_roles": "Peer support worker",
        "csrf_token": csrf_token(client, "/workshops/new")})
    assert response.status_code == 302
    workshop = db.session.query(Workshop).one()
    assert [r.title for r in workshop.roles] == ["Navigator", "Healthcare Assistant",
                                                 "Peer support worker"]
    assert [g.name for g in workshop.constituencies][-1] == "Third sector"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Designing the Navigator role" in page and "Join code" in page


def test_an_over_long_title_is_refused_with_its_limit(client, app):
    sign_in(client, make_user().email)
    response = client.post("/workshops/new", data={
        "title": "x" * 121, "held_on": "2027-03-14", "constituencies": "Carer",
        "templates": ["navigator"], "csrf_token": csrf_token(client, "/workshops/new")})
    assert response.status_code == 400
    assert "up to 120 characters" in response.get_data(as_text=True)
    assert db.session.query(Workshop).count() == 0


def test_an_over_long_other_role_is_shown_on_its_own_box(client, app):
    sign_in(client, make_user().email)
    response = client.post("/workshops/new", data={
        "title": "Roles", "held_on": "2027-03-14", "constituencies": "Carer",
        "other_roles": "Peer support worker\n" + "x" * 81,
        "csrf_token": csrf_token(client, "/workshops/new")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and db.session.query(Workshop).count() == 0
    assert '<a href="#other_roles">Role title can be up to 80 characters.' in page


def test_another_facilitator_gets_not_found_everywhere(client, app):
    workshop_id = make_workshop(make_user())
    sign_in(client, make_user().email)
    for page in ("", "/console", "/projector", "/audit", "/qr.svg"):
        assert client.get(f"/workshops/{workshop_id}{page}").status_code == 404, page
    token = csrf_token(client, "/")
    response = client.post(f"/workshops/{workshop_id}/constituencies",
                           data={"constituencies": "Taken over", "csrf_token": token})
    assert response.status_code == 404
    assert db.session.get(Workshop, workshop_id).constituencies[0].name == "Service user or patient"


def test_a_participant_cannot_open_facilitator_pages(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    join_page = client.get(f"/j/{code}").get_data(as_text=True)
    assert "Before you join" in join_page
    for page in ("/console", "/projector", "/audit"):
        response = client.get(f"/workshops/{workshop_id}{page}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_helper_shared_in_cannot_open_the_console(client, app):
    from coprod.services import workshops

    from ..factories import actor_of
    owner, helper = make_user(), make_user("helper")
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, helper.email, "helper")
    sign_in(client, helper.email)
    assert client.get(f"/workshops/{workshop_id}/console").status_code == 403
    assert client.get(f"/workshops/{workshop_id}/projector").status_code == 200


def test_the_projector_shows_code_and_qr_without_controls(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    page = client.get(f"/workshops/{workshop_id}/projector").get_data(as_text=True)
    code = db.session.get(Workshop, workshop_id).join_code
    assert f"{code[:3]} {code[3:]}" in page
    assert f'src="/workshops/{workshop_id}/qr.svg"' in page
    assert "<button" not in page and "<form" not in page
    svg = client.get(f"/workshops/{workshop_id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True).lstrip().startswith("<")


def test_the_qr_code_encodes_the_public_join_link(client, app):
    from coprod.web.workshops.routes import qr_svg
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    code = db.session.get(Workshop, workshop_id).join_code
    svg = client.get(f"/workshops/{workshop_id}/qr.svg").get_data()
    assert svg == qr_svg(f"http://coprod.test/j/{code}")
    assert svg != qr_svg(f"http://coprod.test/j/{code[::-1]}")
    assert b'xmlns="http://www.w3.org/2000/svg"' in svg  # a standalone image needs its namespace
    assert f"http://coprod.test/j/{code}" in client.get(
        f"/workshops/{workshop_id}/projector").get_data(as_text=True)


def test_the_audit_page_shows_the_trail_and_that_it_verifies(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    join(workshop_id, "Carer", nickname="Megan")
    sign_in(client, owner.email)
    page = client.get(f"/workshops/{workshop_id}/audit").get_data(as_text=True)
    assert "The trail is complete and unchanged" in page
    assert "participant.joined" in page and "(Carer)" in page
    assert "Megan" not in page


def test_roles_are_added_from_templates_and_unknown_ones_refused(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner, templates=("navigator",))
    sign_in(client, owner.email)
    page = f"/workshops/{workshop_id}"
    assert "Add Healthcare Assistant" in client.get(page).get_data(as_text=True)
    response = client.post(f"{page}/roles/template", data={"template": "hca",
                                                           "csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    assert [r.title for r in db.session.get(Workshop, workshop_id).roles] == [
        "Navigator", "Healthcare Assistant"]
    refused = client.post(f"{page}/roles/template", data={"template": "astronaut",
                                                          "csrf_token": csrf_token(client, page)})
    assert refused.status_code == 400
    assert "do not have a template" in refused.get_data(as_text=True)
