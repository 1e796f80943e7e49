"""Issue 14's story in Chromium: a project of two sessions at the size of a real room.

Session 1 (27 people in three groups and a carer on a real phone, 16 ideas over three roles)
adds ideas, votes and drafts an outline; the carer asks for a return code. The facilitator starts
session 2 from the project page. The carer comes back on another device with the code, keeps
their pseudonym and group, and sees their idea from last time; a second vote changes a line, the
outline is signed off as a version from session 2, the project export says what happened, and
every audit chain verifies.
"""

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coprod.extensions import db
from coprod.models import Card, Participant, Role, User, Workshop
from coprod.services import audit, cards, outlines, participants, voting

from ..conftest import app_on
from ..factories import PASSWORD, actor_of, join, make_user, make_workshop, set_phase
from ..support.live_server import LiveServer
from .conftest import PHONE, axe_violations
from .test_first_workshop import join_from_phone

pytestmark = pytest.mark.browser

GROUPS = ("Service user or patient", "Carer", "Staff")
ROLE_IDEAS = {
    "Navigator": ["Helps people find local support", "Knows the local groups",
                  "Explains care plans in plain words", "Rings people the day before",
                  "Goes with people to their first appointment"],
    "Healthcare Assistant": ["Takes blood pressure and explains the reading",
                             "Notices when someone is struggling", "Helps with forms",
                             "Makes a cup of tea and listens", "Knows when to ask the nurse"],
    "Nurse in Community Mental Health Centre": [
        "Reviews medication with the person", "Leads the weekly team meeting",
        "Trains healthcare assistants", "Works with carers on crisis plans",
        "Checks in with carers after a crisis"],
}
MY_IDEA = "Answers the phone when people are worried"
DIVIDED = "Helps people find local support"  # staff say no in session 1, yes in session 2


@pytest.fixture
def first_session(databases, tmp_path):
    """Session 1 in the contribute phase, 27 people and 15 ideas, served for real."""
    url = databases.fresh()
    with app_on(url):
        owner = make_user(email="alex@example.org")
        workshop_id = make_workshop(owner, title="Session 1: what the roles do")
        set_phase(owner, workshop_id, "contribute")
        people = [join(workshop_id, group) for group in GROUPS for _n in range(9)]
        roles = {role.title: role.id for role in db.session.get(Workshop, workshop_id).roles}
        for index, (role, text) in enumerate(
                (role, text) for role, texts in ROLE_IDEAS.items() for text in texts):
            cards.add_card(participants.actor_for(people[index]), workshop_id,
                           "responsibility", text, roles[role])
        made = {"url": url, "owner": owner.email, "workshop_id": workshop_id,
                "project_id": db.session.get(Workshop, workshop_id).project_id,
                "code": db.session.get(Workshop, workshop_id).join_code}
    server = LiveServer(url, log_path=tmp_path / "server.log").start()
    yield server, made
    server.stop()


def vote(url: str, workshop_id: int, staff_answer: str) -> None:
    """Everyone agrees with every visible idea, except staff on DIVIDED: `staff_answer`."""
    with app_on(url):
        boss = owner_of(workshop_id)
        round_id = voting.open_round(boss, workshop_id, "agree")["round"]["id"]
        ideas = dict(db.session.execute(select(Card.id, Card.text).where(
            Card.workshop_id == workshop_id, Card.state == "visible")).all())
        for person in participants.participants_of(workshop_id):
            ballot = {card_id: staff_answer if text == DIVIDED and
                      person.constituency.name == "Staff" else "agree"
                      for card_id, text in ideas.items()}
            voting.cast_ballot(participants.actor_for(person), workshop_id, round_id, ballot)
        voting.close_round(boss, workshop_id, round_id)
        voting.reveal(boss, workshop_id, round_id)


def outline_change(url: str, workshop_id: int, *texts: str, sign_off: bool = False) -> dict:
    """Add the ideas with these texts to the Navigator outline (and sign it off, if asked)."""
    with app_on(url):
        boss = owner_of(workshop_id)
        role = db.session.scalar(select(Role.id).where(Role.workshop_id == workshop_id,
                                                       Role.title == "Navigator"))
        version = outlines.ensure_outline(boss, workshop_id, role)
        for text in texts:
            card = db.session.scalar(select(Card.id).where(Card.workshop_id == workshop_id,
                                                           Card.text == text))
            version = outlines.change(boss, workshop_id, role, version["number"], {
                "kind": "add_card", "section": "responsibilities", "card_id": card})
        if sign_off:
            version = outlines.sign_off(boss, workshop_id, role, version["number"], "Agreed")
        return {"role_id": role, "number": version["number"], "status": version["status"]}


def owner_of(workshop_id: int):
    """The session owner, as the actor the services expect."""
    return actor_of(db.session.get(User, db.session.get(Workshop, workshop_id).owner_id))


def phases(url: str, workshop_id: int, *names: str) -> None:
    with app_on(url):
        owner = db.session.get(User, db.session.get(Workshop, workshop_id).owner_id)
        set_phase(owner, workshop_id, *names)


def more_people(url: str, workshop_id: int) -> None:
    """Nine new people from each group (the carer is the one who comes back)."""
    with app_on(url):
        for group in GROUPS:
            for _n in range(9):
                join(workshop_id, group)


def sign_in(page, server, email: str) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_two_sessions_a_returning_carer_and_an_outline_from_session_2(first_session,
                                                                      open_context):
    server, made = first_session
    url, first = made["url"], made["workshop_id"]

    # Session 1: the carer joins on a real phone and adds an idea.
    phone = open_context(**PHONE).new_page()
    join_from_phone(phone, server, made["code"], "Carer")
    phone.get_by_label("Which role is it for?").select_option(label="Navigator")
    phone.get_by_label("Your idea").fill(MY_IDEA)
    phone.get_by_role("button", name="Add my idea").click()
    expect(phone.locator("body")).to_contain_text(MY_IDEA)
    pseudonym = phone.locator(".me").inner_text()
    assert "Carer" in pseudonym

    phases(url, first, "review", "vote")
    vote(url, first, staff_answer="disagree")
    phases(url, first, "results", "build")
    drafted = outline_change(url, first, MY_IDEA)
    assert drafted == {"role_id": drafted["role_id"], "number": 2, "status": "draft"}
    phases(url, first, "closed")

    # At the end of the session the carer asks to be recognised next time.
    phone.reload()
    phone.get_by_role("button", name="Get a return code").click()
    return_code = phone.locator(".return-code__code [aria-hidden=true]").inner_text()
    assert len(return_code) == 9 and axe_violations(phone) == []

    # The facilitator starts session 2 from the project page.
    desk = open_context().new_page()
    sign_in(desk, server, made["owner"])
    desk.goto(f"{server.url}/projects/{made['project_id']}")
    desk.get_by_role("link", name="Start the next session").click()
    desk.get_by_label("Title").fill("Session 2: agreeing the outline")
    desk.get_by_label("Date").fill("2027-04-11")
    desk.get_by_role("button", name="Start session 2").click()
    expect(desk.get_by_role("heading", name="Session 2: agreeing the outline")).to_be_visible()
    with app_on(url):
        second = db.session.scalar(select(Workshop).where(
            Workshop.project_id == made["project_id"], Workshop.session_number == 2))
        second_id, second_code = second.id, second.join_code
        carried = db.session.scalar(select(Card).where(Card.workshop_id == second_id,
                                                       Card.text == DIVIDED))
        assert carried.earlier_result == "divisive"
    more_people(url, second_id)
    phases(url, second_id, "contribute")

    # The carer comes back on another device, with the code: same pseudonym, same group.
    again = open_context(**PHONE).new_page()
    again.goto(f"{server.url}/j/{second_code}")
    again.get_by_label("Return code (optional)").fill(return_code.lower())
    again.get_by_label("I have read this and I want to take part").check()
    again.get_by_role("button", name="Join the workshop").click()
    expect(again.locator("#connection")).to_have_attribute("data-status", "live")
    expect(again.locator(".me")).to_have_text(pseudonym)
    expect(again.get_by_role("region", name="Your ideas from last time")).to_contain_text(MY_IDEA)
    assert axe_violations(again) == []

    # A second vote: staff now agree, so the divided idea joins the outline, signed off.
    phases(url, second_id, "review", "vote")
    vote(url, second_id, staff_answer="agree")
    phases(url, second_id, "results", "build")
    signed = outline_change(url, second_id, DIVIDED, sign_off=True)
    assert (signed["number"], signed["status"]) == (3, "agreed")
    desk.goto(f"{server.url}/workshops/{second_id}/outlines/{signed['role_id']}")
    expect(desk.locator("body")).to_contain_text("Version 3 · from session 2")
    expect(desk.locator("body")).to_contain_text(DIVIDED)

    # The project export says what happened, and every chain verifies.
    answer = desk.request.get(f"{server.url}/projects/{made['project_id']}/export.json")
    assert answer.ok
    record = json.loads(answer.body())
    one, two = record["sessions"]
    assert (one["number"], two["number"]) == (1, 2)
    assert (one["vote_rounds"], two["vote_rounds"]) == (1, 1)
    assert sum(g["count"] for g in one["participants"]) == 28
    assert (two["returning"], sum(g["count"] for g in two["participants"])) == (1, 28)
    assert one["ideas"]["total"] == 16 and two["ideas"]["carried_forward"] == 16
    navigator = next(o for o in record["outlines"] if o["role"] == "Navigator")
    assert [(v["number"], v["session_number"], v["status"]) for v in navigator["versions"]] == [
        (1, 1, "draft"), (2, 1, "draft"), (3, 2, "agreed")]
    heads = {head["session"]: head["head_seq"] for head in record["statement"]["audit_heads"]}
    with app_on(url):
        assert all(check.ok for check in audit.verify_all())
        assert heads == {1: audit.verify(first).events, 2: audit.verify(second_id).events - 1}
        returning = db.session.scalar(select(Participant).where(
            Participant.workshop_id == second_id, Participant.returned_from_id.is_not(None)))
        assert returning.constituency.name == "Carer"
