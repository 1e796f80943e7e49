"""The project pages: starting a project, its details and milestones, its record and export,
kind answers to bad input, nobody else's project, and the page in Welsh."""

import json
from datetime import date, timedelta

from coprod.extensions import db
from coprod.models import Milestone, Project, Workshop

from ..conftest import csrf_token
from ..factories import make_user, make_workshop
from .test_auth_pages import sign_in

NEW_PROJECT = {
    "project_title": "Redesigning roles at the centre", "purpose": "Three roles, designed together",
    "population_need": "People waiting months for support", "target_per_group": "10",
    "title": "Session 1: what the roles do", "held_on": "2027-03-14", "venue": "Carmarthen",
    "constituencies": "Service user or patient\nCarer\nStaff", "templates": ["navigator", "hca"],
}


def start_project(client) -> str:
    """Start a project through the form; returns its page's address."""
    response = client.post("/projects/new", data={
        **NEW_PROJECT, "csrf_token": csrf_token(client, "/projects/new")})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def project_id_of(workshop_id: int) -> int:
    return db.session.get(Workshop, workshop_id).project_id


def test_a_facilitator_starts_a_project_from_the_home_page(client, app):
    sign_in(client, make_user().email)
    home = client.get("/").get_data(as_text=True)
    assert home.index("Start a role redesign project") < home.index("Create a workshop")
    page_url = start_project(client)
    project = db.session.query(Project).one()
    assert page_url == f"/projects/{project.id}" and project.target_per_group == 10
    page = client.get(page_url).get_data(as_text=True)
    assert "Your project is ready" in page and "Redesigning roles at the centre" in page
    assert "Session 1: Session 1: what the roles do" in page  # the sessions table and record
    assert "People hoped for from each group, in each session: 10." in page
    home = client.get("/").get_data(as_text=True)
    assert f'href="/projects/{project.id}"' in home and "1 session" in home
    session_page = client.get(f"/workshops/{db.session.query(Workshop).one().id}")
    assert f'href="/projects/{project.id}"' in session_page.get_data(as_text=True)


def test_bad_input_gets_a_kind_message_and_nothing_is_stored(client, app):
    sign_in(client, make_user().email)
    for target, message in (("0", "Please give a number of people from 1 to 500"),
                            ("ten", "Please enter a whole number, for example 10.")):
        response = client.post("/projects/new", data={
            **NEW_PROJECT, "target_per_group": target,
            "csrf_token": csrf_token(client, "/projects/new")})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    response = client.post("/projects/new", data={
        **NEW_PROJECT, "project_title": "", "csrf_token": csrf_token(client, "/projects/new")})
    assert response.status_code == 400
    assert "Please give the project a title." in response.get_data(as_text=True)
    assert db.session.query(Project).count() == 0 and db.session.query(Workshop).count() == 0


def test_milestones_show_overdue_in_words_and_can_be_done_and_removed(client, app):
    sign_in(client, make_user().email)
    page_url = start_project(client)
    token = csrf_token(client, page_url)
    late = (date.today() - timedelta(days=3)).isoformat()
    response = client.post(f"{page_url}/milestones", data={
        "milestone_title": "Outlines to workforce team", "due_on": late, "csrf_token": token})
    assert response.status_code == 302
    page = client.get(page_url).get_data(as_text=True)
    assert "Overdue:" in page and "is not done yet" in page
    milestone = db.session.query(Milestone).one()
    client.post(f"{page_url}/milestones/{milestone.id}/done", data={"csrf_token": token})
    page = client.get(page_url).get_data(as_text=True)
    assert "Overdue:" not in page and f"Done on {date.today():%-d}" in page
    client.post(f"{page_url}/milestones/{milestone.id}/remove", data={"csrf_token": token})
    assert db.session.query(Milestone).count() == 0


def test_a_milestone_without_a_date_is_refused_kindly(client, app):
    sign_in(client, make_user().email)
    page_url = start_project(client)
    response = client.post(f"{page_url}/milestones", data={
        "milestone_title": "Outlines to workforce team", "due_on": "next spring",
        "csrf_token": csrf_token(client, page_url)})
    assert response.status_code == 400
    assert "Please give the date it is due, like 14/03/2027." in response.get_data(as_text=True)
    assert db.session.query(Milestone).count() == 0


def test_details_are_saved_from_the_project_page(client, app):
    sign_in(client, make_user().email)
    page_url = start_project(client)
    response = client.post(f"{page_url}/details", data={
        **NEW_PROJECT, "project_title": "Roles for the community team", "target_per_group": "",
        "csrf_token": csrf_token(client, page_url)})
    assert response.status_code == 302
    project = db.session.query(Project).one()
    assert (project.title, project.target_per_group) == ("Roles for the community team", None)


def test_the_record_downloads_as_json_and_pdf(client, app):
    sign_in(client, make_user().email)
    page_url = start_project(client)
    response = client.get(f"{page_url}/export.json?language=en")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "project-record.json" in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    assert [s["title"] for s in document["sessions"]] == ["Session 1: what the roles do"]
    pdf = client.get(f"{page_url}/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    refused = client.get(f"{page_url}/export.docx")
    assert refused.status_code == 400 and "PDF or JSON" in refused.get_data(as_text=True)


def test_another_facilitator_gets_not_found_for_every_project_page(client, app):
    workshop_id = make_workshop(make_user())
    project_id = project_id_of(workshop_id)
    sign_in(client, make_user().email)
    for page in ("", "/export.json", "/export.pdf"):
        assert client.get(f"/projects/{project_id}{page}").status_code == 404, page
    token = csrf_token(client, "/")
    response = client.post(f"/projects/{project_id}/details", data={
        **NEW_PROJECT, "csrf_token": token})
    assert response.status_code == 404
    response = client.post(f"/projects/{project_id}/milestones", data={
        "milestone_title": "Mine now", "due_on": "2027-04-01", "csrf_token": token})
    assert response.status_code == 404
    assert db.session.get(Project, project_id).title == "Roles for our community mental health " \
                                                         "centre"
    assert db.session.query(Milestone).count() == 0


def test_a_helper_reads_the_project_but_cannot_change_it(client, app):
    from coprod.services import workshops

    from ..factories import actor_of
    owner, helper = make_user(), make_user("helper")
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, helper.email, "helper")
    sign_in(client, helper.email)
    page = client.get(f"/projects/{project_id_of(workshop_id)}").get_data(as_text=True)
    assert "Sessions" in page and "Add a milestone" not in page and "export.json" not in page
    assert client.get("/projects/new").status_code == 403


def test_the_project_page_in_welsh(client, app):
    sign_in(client, make_user().email)
    page_url = start_project(client)
    page = client.get(f"{page_url}?lang=cy").get_data(as_text=True)
    assert '<html lang="cy"' in page
    assert "Cerrig milltir" in page and "Sesiynau" in page
    assert "Milestones" not in page
