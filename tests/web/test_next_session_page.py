"""The "Start the next session" page of a project: the form, its kind refusals, and who may use it."""

from sqlalchemy import func, select

from coprod.extensions import db
from coprod.models import Card, Workshop
from coprod.services import cards, participants, projects

from ..conftest import csrf_token
from ..factories import join, make_user, make_workshop, set_phase
from .test_auth_pages import sign_in


def _project_after_session_one(owner) -> tuple[int, int]:
    """A project whose first session was held: two ideas added. Returns (project, session)."""
    first = make_workshop(owner)
    set_phase(owner, first, "contribute")
    person = join(first, "Carer")
    for text in ("Helps people find local support", "Rings people the day before"):
        cards.add_card(participants.actor_for(person), first, "responsibility", text)
    return db.session.get(Workshop, first).project_id, first


def _sessions(project_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Workshop.id)).where(
        Workshop.project_id == project_id))


def test_a_facilitator_starts_session_two_and_lands_on_its_page(client, app):
    owner = make_user()
    project_id, first = _project_after_session_one(owner)
    sign_in(client, owner.email)
    page = f"/projects/{project_id}/sessions/new"
    form = client.get(page).get_data(as_text=True)
    assert 'value="Session 2"' in form and 'value="Carmarthen"' in form  # pre-filled
    assert "everything from session 1" in form
    response = client.post(page, data={"title": "Session 2: the outlines", "held_on": "2027-04-11",
                                       "venue": "Llanelli", "csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    second = projects.newest_session_id(project_id)
    assert response.headers["Location"] == f"/workshops/{second}"
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Session 2 is ready, with everything from session 1." in shown
    assert "Session 2: the outlines" in shown
    copied = db.session.scalars(select(Card.text).where(Card.workshop_id == second)
                                .order_by(Card.id)).all()
    assert copied == ["Helps people find local support", "Rings people the day before"]


def test_a_bad_date_gets_a_kind_message_and_nothing_is_stored(client, app):
    owner = make_user()
    project_id, _first = _project_after_session_one(owner)
    sign_in(client, owner.email)
    page = f"/projects/{project_id}/sessions/new"
    for held_on in ("31/02/2027", "next Tuesday", ""):
        response = client.post(page, data={"title": "Session 2", "held_on": held_on,
                                           "csrf_token": csrf_token(client, page)})
        body = response.get_data(as_text=True)
        assert response.status_code == 400, held_on
        assert "Please give the date of the session, like 14/03/2027." in body
        assert 'href="#held_on"' in body  # the summary leads to the box to put right
    assert _sessions(project_id) == 1


def test_a_missing_title_and_an_unheld_session_are_said_kindly(client, app):
    owner = make_user()
    project_id, _first = _project_after_session_one(owner)
    sign_in(client, owner.email)
    page = f"/projects/{project_id}/sessions/new"
    response = client.post(page, data={"title": " ", "held_on": "2027-04-11",
                                       "csrf_token": csrf_token(client, page)})
    assert response.status_code == 400
    assert "Please give the session a title." in response.get_data(as_text=True)
    client.post(page, data={"title": "Session 2", "held_on": "2027-04-11",
                            "csrf_token": csrf_token(client, page)})
    again = client.post(page, data={"title": "Session 3", "held_on": "2027-05-09",
                                    "csrf_token": csrf_token(client, page)})
    assert again.status_code == 400  # a second click, say: session 2 has not been held yet
    said = again.get_data(as_text=True)
    assert "Session 2 has not started yet." in said and 'name="held_on"' not in said
    second = projects.newest_session_id(project_id)
    assert f'href="/workshops/{second}">Open session 2</a>' in said  # where the first click went
    assert _sessions(project_id) == 2


def test_nobody_outside_the_project_reaches_the_page(client, app):
    owner = make_user()
    project_id, _first = _project_after_session_one(owner)
    sign_in(client, make_user().email)
    page = f"/projects/{project_id}/sessions/new"
    assert client.get(page).status_code == 404
    response = client.post(page, data={"title": "Session 2", "held_on": "2027-04-11",
                                       "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 404
    assert _sessions(project_id) == 1
