"""Return codes in Chromium: a code that cannot be used, then the right one, on a phone; "Your
ideas from last time"; asking for a code for next time; the facilitator's printable cards. Each
page axe-clean (WCAG 2.2 A/AA) and without sideways scroll at 320 px."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import cards, participants, return_codes
from coprod.services.carry import start_next_session
from coprod.services.workshops import WorkshopDetails

from ..conftest import app_on
from ..factories import PASSWORD, actor_of, join, make_user, make_workshop, set_phase
from ..support.live_server import LiveServer
from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 720}
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth + 1"
IDEA = "Rings people the day before their appointment"


@pytest.fixture
def project(databases, tmp_path):
    """Session 1 (a carer who added an idea and took a code) and session 2, served for real."""
    url = databases.fresh()
    with app_on(url):
        owner = make_user(email="alex@example.org")
        first_id = make_workshop(owner, title="Navigator roles")
        join(first_id, "Staff")
        carer = join(first_id, "Carer")
        set_phase(owner, first_id, "contribute")
        cards.add_card(participants.actor_for(carer), first_id, "responsibility", IDEA)
        code = return_codes.ask(participants.actor_for(carer), first_id)["code"]
        second_id = start_next_session(actor_of(owner), db.session.get(Workshop, first_id).project_id,
                                       WorkshopDetails("Session 2", date(2027, 4, 11), "Llanelli"))
        details = {"code": code, "number": carer.number, "second_id": second_id,
                   "join_code": db.session.get(Workshop, second_id).join_code}
    server = LiveServer(url, log_path=tmp_path / "server.log").start()
    yield server, details
    server.stop()


def problems(page) -> list:
    """Axe's findings, and sideways scroll at 320 px (400 % zoom)."""
    found = list(axe_violations(page))
    size = page.viewport_size
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(100)
    if page.evaluate(WIDER_THAN_SCREEN):
        found.append("sideways scroll at 320 px")
    page.set_viewport_size(size)
    return found


def test_a_returning_phone_and_the_printable_cards(project, open_context):
    server, details = project
    phone = open_context(**PHONE).new_page()
    phone.goto(f"{server.url}/j/{details['join_code']}")
    assert problems(phone) == []

    phone.get_by_label("Return code (optional)").fill("KXMR-3PQT")
    phone.get_by_label("I have read this and I want to take part").check()
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.get_by_role("alert")).to_contain_text("We could not use that return code.")
    expect(phone.get_by_label("Join as someone new")).not_to_be_checked()
    assert problems(phone) == []

    phone.get_by_label("Return code (optional)").fill(details["code"].lower())
    phone.get_by_label("I have read this and I want to take part").check()
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator("#connection")).to_have_attribute("data-status", "live")
    expect(phone.locator(".me")).to_contain_text(f"Participant {details['number']}")
    expect(phone.locator(".me")).to_contain_text("Carer")
    last_time = phone.get_by_role("region", name="Your ideas from last time")
    expect(last_time).to_contain_text(IDEA)
    assert problems(phone) == []

    phone.get_by_text("Coming back next time?").click()
    phone.get_by_role("button", name="Get a return code").click()
    expect(phone.locator("#connection")).to_have_attribute("data-status", "live")
    shown = phone.locator(".return-code__code [aria-hidden=true]").text_content()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", shown) and shown != details["code"]
    expect(phone.get_by_text("It works once, until")).to_be_visible()
    assert problems(phone) == []

    desk = open_context().new_page()
    desk.goto(f"{server.url}/login")
    desk.get_by_label("Email address").fill("alex@example.org")
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.goto(f"{server.url}/workshops/{details['second_id']}/return-codes")
    card = desk.locator(".return-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(shown)
    expect(card).to_contain_text("Keep this card. Bring it to the next session.")
    assert problems(desk) == []
    desk.emulate_media(media="print")
    assert card.evaluate("node => getComputedStyle(node).breakInside") == "avoid"
    expect(desk.get_by_role("button", name="Make a return code")).to_be_hidden()
