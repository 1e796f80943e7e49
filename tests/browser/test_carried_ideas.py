"""Session 2 of a project in the browser: every screen marks an idea carried from session 1 with
its result there, and a seed idea with the evidence it came from; the builder names each
version's session; the wall still fits a 1920x1080 and a 1280x720 projector with the tags."""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from playwright.sync_api import expect

from coprod.domain.evidence import EvidenceDetails
from coprod.extensions import db
from coprod.models import Role, Workshop
from coprod.services import cards, carry, evidence, outlines, participants, voting
from coprod.services.workshops import WorkshopDetails

from ..conftest import app_on
from ..factories import PASSWORD, actor_of, group_id, join, make_user, make_workshop, set_phase
from ..support.clients import join as join_over_http
from ..support.live_server import LiveServer
from .conftest import axe_violations
from .test_wall import LAYOUT_PROBLEMS

pytestmark = pytest.mark.browser

AGREED = "Helps people find local support"
DIVIDED = "Helps with forms"
SEED = "Has protected time for supervision"
SOURCE = "Sustaining new roles in mental health"


@dataclass(frozen=True)
class Project:
    email: str
    project_id: int
    second: int  # session 2's workshop id
    code: str  # session 2's join code
    carer: int  # session 2's Carer group id


def _session_one_then_two() -> Project:
    owner = make_user()
    boss = actor_of(owner)
    first = make_workshop(owner)
    project_id = db.session.get(Workshop, first).project_id
    navigator = db.session.scalar(db.select(Role.id).where(Role.workshop_id == first,
                                                           Role.title == "Navigator"))
    item = evidence.add_item(boss, project_id, EvidenceDetails(SOURCE, "What helps new roles last."))
    evidence.add_seed_idea(boss, project_id, item, "responsibility", SEED, navigator)
    set_phase(owner, first, "contribute")
    people = [join(first, group) for group in ("Service user or patient", "Carer", "Staff")
              for _twice in (1, 2)]
    for text in (AGREED, DIVIDED):
        cards.add_card(participants.actor_for(people[0]), first, "responsibility", text, navigator)
    set_phase(owner, first, "review", "vote")
    round_id = voting.open_round(boss, first, "agree")["round"]["id"]
    ideas = {card.text: card.id for card in cards.cards_of(first)}
    for person in people:
        for text, card_id in ideas.items():
            staff = person.constituency.name == "Staff"
            voting.cast_vote(participants.actor_for(person), first, round_id, card_id,
                             "disagree" if staff and text == DIVIDED else "agree")
    voting.close_round(boss, first, round_id)
    voting.reveal(boss, first, round_id)
    set_phase(owner, first, "results", "build")
    outlines.ensure_outline(boss, first, navigator)
    outlines.change(boss, first, navigator, 1, {"kind": "add_card", "section": "responsibilities",
                                                "card_id": ideas[AGREED]})
    outlines.sign_off(boss, first, navigator, 2)
    second = carry.start_next_session(boss, project_id,
                                      WorkshopDetails("Session 2", date(2027, 4, 11), "Llanelli"))
    set_phase(owner, second, "contribute")
    return Project(owner.email, project_id, second, db.session.get(Workshop, second).join_code,
                   group_id(second, "Carer"))


@pytest.fixture(scope="module")
def served(databases, tmp_path_factory):
    url = databases.fresh()
    with app_on(url):
        project = _session_one_then_two()
    server = LiveServer(url, log_path=tmp_path_factory.mktemp("carried") / "server.log").start()
    yield server, project
    server.stop()


def signed_in(open_context, server, project: Project, **options):
    page = open_context(**options).new_page()
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(project.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile("/login"))
    return page


def test_the_console_marks_carried_and_seed_ideas_in_english_and_welsh(served, open_context):
    server, project = served
    page = signed_in(open_context, server, project, viewport={"width": 1440, "height": 900})
    page.goto(f"{server.url}/workshops/{project.second}/console")
    expect(page.locator("#connection")).to_have_text("Connected")
    row = page.locator(".coprod-console-card", has_text=AGREED)
    expect(row.locator(".coprod-origin")).to_have_text("From session 1 · Agreed by every group")
    divided = page.locator(".coprod-console-card", has_text=DIVIDED)
    expect(divided.locator(".coprod-origin")).to_have_text("From session 1 · Groups differ")
    seed = page.locator(".coprod-console-card", has_text=SEED).locator(".coprod-origin")
    # Voted on in session 1 like any idea, and still from the evidence.
    expect(seed).to_have_text(["From session 1 · Agreed by every group",
                               f"From the evidence: {SOURCE}"])
    assert axe_violations(page) == []
    page.goto(f"{server.url}/workshops/{project.second}/console?lang=cy")
    expect(page.locator(".coprod-console-card", has_text=AGREED).locator(".coprod-origin")) \
        .to_have_text("O sesiwn 1 · Cytunwyd gan bob grŵp")
    page.goto(f"{server.url}/workshops/{project.second}/console?lang=en")


@pytest.mark.parametrize("size", [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}],
                         ids=["1920x1080", "1280x720"])
def test_the_wall_shows_the_tags_and_still_fits(served, open_context, size):
    server, project = served
    page = signed_in(open_context, server, project, viewport=size)
    page.goto(f"{server.url}/workshops/{project.second}/projector")
    card = page.locator(".wall__card", has_text=AGREED)
    expect(card.locator(".wall__origin-tag")).to_have_text("From session 1 · Agreed by every group")
    # One line per tag, so a long evidence title never hides the session's result.
    expect(page.locator(".wall__card", has_text=SEED).locator(".wall__origin-tag")).to_have_text(
        ["From session 1 · Agreed by every group", f"From the evidence: {SOURCE}"])
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    assert axe_violations(page) == []


def test_a_phone_sees_where_each_idea_came_from(served, open_context):
    server, project = served
    session = join_over_http(server.url, project.code, project.carer)
    context = open_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": name, "value": value, "url": server.url}
                         for name, value in session.cookies.items()])
    page = context.new_page()
    page.goto(f"{server.url}/p/{project.code}")
    card = page.locator("#cards li", has_text=DIVIDED)
    expect(card).to_contain_text("From session 1 · Groups differ")


def test_the_builder_names_each_versions_session_and_marks_the_ideas(served, open_context):
    server, project = served
    page = signed_in(open_context, server, project, viewport={"width": 1400, "height": 1600})
    page.goto(f"{server.url}/workshops/{project.second}/outlines/build")
    expect(page.locator("#version-banner")).to_contain_text("Version 2 · from session 1: agreed")
    expect(page.locator("#history li").first).to_contain_text("Version 2 · from session 1")
    idea = page.locator(".coprod-idea", has_text=DIVIDED)
    expect(idea.locator(".coprod-idea__origin")).to_have_text("From session 1 · Groups differ")
    page.get_by_role("button", name="Start a new draft").click()
    expect(page.locator("#version-banner")).to_contain_text("Version 3 · from session 2: draft")


def test_the_next_session_form_says_what_needs_changing_and_passes_axe(served, open_context):
    server, project = served
    page = signed_in(open_context, server, project, viewport={"width": 1280, "height": 900})
    page.goto(f"{server.url}/projects/{project.project_id}/sessions/new")
    expect(page.get_by_label("Session title")).to_have_value("Session 3")
    assert axe_violations(page) == []
    page.get_by_label("Session title").fill("")
    page.get_by_label("Date").fill("")
    page.get_by_role("button", name="Start session 3").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Please give the session a title.")
    expect(summary).to_contain_text("Please give the date of the session, like 14/03/2027.")
    # The summary takes focus, so a screen reader starts there.
    page.wait_for_function("() => !!document.activeElement.closest('.nhsuk-error-summary')")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 900})  # 400 % zoom: it reflows
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
