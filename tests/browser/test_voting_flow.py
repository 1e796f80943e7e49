"""Three phones of three groups vote; after the reveal the projector shows results per group."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, axe_violations
from .test_first_workshop import create_first_account, create_workshop, join_from_phone

pytestmark = pytest.mark.browser

IDEAS = {
    "Service user or patient": ("responsibility", "Helps people find local support"),
    "Carer": ("competence", "Listens to carers without judging"),
    "Staff": ("responsibility", "Keeps care plans up to date"),
}


def add_idea(phone, kind, text):
    phone.get_by_label(kind.capitalize(), exact=True).check()
    phone.get_by_label("Your idea").fill(text)
    phone.get_by_role("button", name="Add my idea").click()
    expect(phone.get_by_role("status").filter(has_text="Thank you")).to_be_visible()


def test_three_groups_vote_and_the_wall_shows_each_groups_support(live_server, open_context):
    facilitator = open_context(bypass_csp=True).new_page()
    create_first_account(facilitator, live_server)
    code = create_workshop(facilitator)
    facilitator.get_by_role("link", name="Open the live console").click()
    projector = facilitator.context.new_page()
    projector.goto(facilitator.url.replace("/console", "/projector"))

    phones = {}
    for group in IDEAS:
        phones[group] = open_context(bypass_csp=True, **PHONE).new_page()
        join_from_phone(phones[group], live_server, code, group)
    facilitator.get_by_role("button", name="Next: Add ideas").click()
    for group, (kind, text) in IDEAS.items():
        expect(phones[group].get_by_role("heading", name="Add an idea")).to_be_visible()
        add_idea(phones[group], kind, text)

    facilitator.get_by_role("button", name="Next: Review").click()
    facilitator.get_by_role("button", name="Next: Vote").click()
    facilitator.get_by_label("Dots each person has").fill("3")
    facilitator.get_by_role("button", name="Open the vote").click()
    expect(projector.get_by_role("heading", name="Vote on your phone now")).to_be_visible()

    support = "Add a dot to: Helps people find local support"
    for group, phone in phones.items():
        expect(phone.get_by_role("heading", name="Your votes")).to_be_visible()
        expect(phone.locator("#dots-left")).to_have_text("Dots left: 3")
        phone.get_by_role("button", name=support).click()
        if group != "Staff":  # staff put their other dots elsewhere
            phone.get_by_role("button", name=support).click()
            expect(phone.get_by_role("button", name=support)).to_be_disabled()  # 2 per idea
        else:
            phone.get_by_role("button", name="Add a dot to: Keeps care plans up to date").click()
        expect(phone.locator("#dots-left")).to_have_text("Dots left: 1")
    expect(projector.locator("#progress")).to_contain_text("Staff: 1")
    expect(projector.locator("#results")).to_be_hidden()  # hidden until revealed
    expect(facilitator.locator(".coprod-tally")).to_contain_text("Helps people find local support")

    facilitator.get_by_role("button", name="Close the vote").click()
    facilitator.get_by_role("button", name="Show the results").click()

    results = projector.locator("#results")
    expect(results).to_be_visible()
    top = results.locator(".wall__result").first
    expect(top).to_contain_text("Helps people find local support")
    for group in IDEAS:
        expect(top.locator(".wall__group", has_text=group)).to_contain_text("1 voted, too few to count")
    expect(phones["Carer"].get_by_role("heading", name="What the room thinks")).to_be_visible()
    assert axe_violations(projector) == []
    assert axe_violations(phones["Carer"]) == []


def test_a_vote_survives_a_reload_and_is_counted_once(live_server, open_context):
    facilitator = open_context().new_page()
    create_first_account(facilitator, live_server)
    code = create_workshop(facilitator)
    facilitator.get_by_role("link", name="Open the live console").click()
    phone = open_context(**PHONE).new_page()
    join_from_phone(phone, live_server, code, "Carer")
    facilitator.get_by_role("button", name="Next: Add ideas").click()
    add_idea(phone, "responsibility", "Helps people find local support")
    facilitator.get_by_role("button", name="Next: Review").click()
    facilitator.get_by_role("button", name="Next: Vote").click()
    facilitator.get_by_role("radio", name="Agree, not sure or disagree").check()
    facilitator.get_by_role("button", name="Open the vote").click()

    expect(phone.get_by_role("heading", name="Your votes")).to_be_visible()
    phone.context.set_offline(True)
    expect(phone.locator("#connection")).not_to_have_text("Connected", timeout=60_000)
    phone.get_by_role("radio", name="Agree", exact=True).check()  # tapped with no signal
    phone.context.set_offline(False)
    phone.reload()  # the signal is back but the page reloads: the vote waits in its outbox
    expect(phone.get_by_role("radio", name="Agree", exact=True)).to_be_checked()
    expect(facilitator.locator(".coprod-tally")).to_contain_text("100% (1/1)", timeout=20_000)
    phone.reload()
    expect(phone.get_by_role("radio", name="Agree", exact=True)).to_be_checked()
