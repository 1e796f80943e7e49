"""A real first workshop in Chromium: setup link, a workshop, a phone joins, the wall shows it."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "a very long password"


def create_first_account(page, server):
    page.goto(server.setup_link())
    page.get_by_label("Your name").fill("Alex Facilitator")
    page.get_by_label("Email address").fill("alex@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()


def create_workshop(page) -> str:
    page.get_by_role("link", name="Create a workshop").click()
    page.get_by_label("Workshop title").fill("New roles for our mental health centre")
    page.get_by_label("Date").fill("2027-03-14")
    page.get_by_label("Venue (optional)").fill("Carmarthen")
    page.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("heading", name="New roles for our mental health centre")).to_be_visible()
    code = page.locator(".coprod-join-code").first.inner_text()
    return code.replace(" ", "")


def join_from_phone(phone, server, code, group="Carer"):
    phone.goto(server.url + "/join")
    phone.get_by_label("Join code").fill(code.lower())
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", name="Before you join")).to_be_visible()
    phone.get_by_label(group, exact=True).check()
    phone.get_by_label("I have read this and I want to take part").check()
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator("#connection")).to_have_text("Connected")


def open_console_and_wall(facilitator, wall_size: dict | None = None):
    """From the workshop page: the live console, connected, and the wall in a tab beside it, live."""
    facilitator.get_by_role("link", name="Open the live console").click()
    expect(facilitator.locator("#connection")).to_have_text("Connected")
    projector = facilitator.context.new_page()
    if wall_size:
        projector.set_viewport_size(wall_size)
    projector.goto(facilitator.url.replace("/console", "/projector"))
    expect(projector.locator("#connection")).to_have_text("Live")
    return projector


def test_a_phone_adds_a_card_and_the_projector_shows_it(live_server, open_context):
    facilitator = open_context().new_page()
    create_first_account(facilitator, live_server)
    code = create_workshop(facilitator)

    projector = open_console_and_wall(facilitator)
    expect(projector.get_by_role("img", name="QR code to join this workshop")).to_be_visible()

    phone = open_context(**PHONE).new_page()
    join_from_phone(phone, live_server, code)
    expect(phone.get_by_role("heading", name="Add an idea")).to_be_hidden()  # still in the lobby
    expect(projector.locator("#counts")).to_contain_text("Carer1")

    facilitator.get_by_role("button", name="Next: Add ideas").click()
    expect(phone.get_by_role("heading", name="Add an idea")).to_be_visible()
    expect(projector.locator("#phase-label")).to_have_text("Add ideas")

    phone.get_by_label("Competence").check()
    phone.get_by_label("Which role is it for?").select_option(label="Navigator")
    phone.get_by_label("Your idea").fill("Knows what local support groups offer")
    add_button = phone.get_by_role("button", name="Add my idea")
    assert add_button.bounding_box()["height"] >= 44  # thumb-sized on a small screen
    add_button.click()
    expect(phone.get_by_role("status").filter(has_text="Thank you")).to_be_visible()

    navigator = projector.locator(".wall__role", has=projector.get_by_role("heading", name="Navigator"))
    expect(navigator.locator(".wall__card--competence")).to_have_text(
        "Knows what local support groups offer", timeout=3000)
    console_card = facilitator.locator(".coprod-console-card").first
    expect(console_card).to_contain_text("Competence · Navigator · Carer")

    # The facilitator rewords it; the wall follows and the audit trail records both wordings.
    facilitator.get_by_role("button", name=re.compile("^Actions for: Knows what")).click()
    facilitator.get_by_role("button", name=re.compile("^Edit wording")).click()
    reworded = "Knows what local support groups offer, and how to reach them"
    facilitator.get_by_label("New wording").fill(reworded)
    facilitator.get_by_role("button", name="Save wording").click()
    expect(navigator.locator(".wall__card--competence")).to_have_text(reworded)

    assert axe_violations(phone) == []
    assert axe_violations(projector) == []
    assert axe_violations(facilitator) == []


def test_a_wrong_code_and_a_refused_card_keep_what_was_typed(live_server, open_context):
    facilitator = open_context().new_page()
    create_first_account(facilitator, live_server)
    code = create_workshop(facilitator)
    facilitator.get_by_role("link", name="Open the live console").click()
    facilitator.get_by_role("button", name="Next: Add ideas").click()

    phone = open_context(**PHONE).new_page()
    phone.goto(live_server.url + "/join")
    phone.get_by_label("Join code").fill("KKKKKK")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("alert")).to_contain_text("could not find a workshop with that code")

    join_from_phone(phone, live_server, code, group="Staff")
    # Typed, then the page reloads (a lost signal, a tap on refresh): the words are still there.
    phone.get_by_label("Your idea").fill("Explains care plans in plain words")
    phone.reload()
    expect(phone.get_by_label("Your idea")).to_have_value("Explains care plans in plain words")

    facilitator.get_by_role("button", name="Next: Review").click()  # adding closes
    expect(phone.get_by_role("heading", name="Add an idea")).to_be_hidden()
    expect(phone.locator("#phase-message")).to_contain_text("tidying up")


def test_the_accessibility_check_itself_finds_problems(open_context):
    page = open_context().new_page()
    page.set_content("<html lang='en'><title>t</title><main><button></button>"
                     "<input type='text'></main></html>")
    assert {v["id"] for v in axe_violations(page)} >= {"button-name", "label"}
