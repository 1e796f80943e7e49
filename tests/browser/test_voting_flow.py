"""Phones of three groups vote; after the reveal the projector shows results per group."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, axe_violations
from .test_first_workshop import create_first_account, create_workshop, join_from_phone, open_console_and_wall

pytestmark = pytest.mark.browser

IDEAS = {
    "Service user or patient": ("responsibility", "Helps people find local support"),
    "Carer": ("competence", "Listens to carers without judging"),
    "Staff": ("responsibility", "Keeps care plans up to date"),
}
# Two carers, so one group has enough voters (2) to count; the others show as too few.
PHONE_GROUPS = ["Service user or patient", "Carer", "Carer", "Staff"]


def add_idea(phone, kind, text):
    phone.get_by_label(kind.capitalize(), exact=True).check()
    phone.get_by_label("Your idea").fill(text)
    phone.get_by_role("button", name="Add my idea").click()
    expect(phone.get_by_role("status").filter(has_text="Thank you")).to_be_visible()


def test_groups_vote_and_the_wall_shows_each_groups_support_and_the_status(live_server,
                                                                           open_context):
    facilitator = open_context().new_page()
    create_first_account(facilitator, live_server)
    code = create_workshop(facilitator)
    projector = open_console_and_wall(facilitator)

    phones = []
    for group in PHONE_GROUPS:
        phones.append((group, open_context(**PHONE).new_page()))
        join_from_phone(phones[-1][1], live_server, code, group)
    facilitator.get_by_role("button", name="Next: Add ideas").click()
    for group, (kind, text) in IDEAS.items():
        phone = next(page for name, page in phones if name == group)
        expect(phone.get_by_role("heading", name="Add an idea")).to_be_visible()
        add_idea(phone, kind, text)

    facilitator.get_by_role("button", name="Next: Review").click()
    facilitator.get_by_role("button", name="Next: Vote").click()
    facilitator.get_by_label("Dots each person has").fill("3")
    facilitator.get_by_role("button", name="Open the vote").click()
    expect(projector.get_by_role("heading", name="Vote on your phone now")).to_be_visible()

    support = "Add a dot to: Helps people find local support"
    for group, phone in phones:
        expect(phone.get_by_role("heading", name="Your votes")).to_be_visible()
        expect(phone.locator("#vote-progress")).to_have_text("Dots left: 3 of 3")
        phone.get_by_role("button", name=support).click()
        if group != "Staff":  # staff put their other dots elsewhere
            phone.get_by_role("button", name=support).click()
            expect(phone.get_by_role("button", name=support)).to_be_disabled()  # 2 per idea
        else:
            phone.get_by_role("button", name="Add a dot to: Keeps care plans up to date").click()
        expect(phone.locator("#vote-progress")).to_have_text("Dots left: 1 of 3")
    expect(projector.locator("#progress")).to_contain_text("Carer: 2")
    expect(projector.locator("#progress")).to_contain_text("Staff: 1")
    expect(projector.locator("#results")).to_be_hidden()  # hidden until revealed
    expect(facilitator.locator(".coprod-tally")).to_contain_text("Helps people find local support")

    facilitator.get_by_role("button", name="Close the vote").click()
    facilitator.get_by_role("button", name="Show the results").click()

    results = projector.locator("#results")
    expect(results).to_be_visible()
    top = results.locator(".wall__result").first
    expect(top).to_contain_text("Helps people find local support")
    expect(top.locator(".wall__status")).to_have_text("Agreed by every group")  # every counted group backs it
    expect(top.locator('.wall__group[data-group="Carer"]')).to_have_text("2 of 2")
    for group in ("Service user or patient", "Staff"):
        expect(top.locator(f'.wall__group[data-group="{group}"]')).to_have_text(
            "too few to count")
    care_plans = results.locator(".wall__result", has_text="Keeps care plans up to date")
    expect(care_plans.locator(".wall__status")).to_have_text("Not decided")
    expect(care_plans.locator('.wall__group[data-group="Carer"]')).to_have_text("0 of 2")
    carer = phones[1][1]
    expect(carer.get_by_role("heading", name="What the room thinks")).to_be_visible()
    expect(carer.locator("#results-list li").first).to_contain_text("Agreed by every group")
    expect(carer.locator("#results-list li").first).to_contain_text("Carer 100%")
    assert axe_violations(projector) == []
    assert axe_violations(carer) == []


def open_agree_vote_on_one_idea(live_server, open_context, phone_context=None):
    """A facilitator's console and a Carer's phone, in an agree vote on the phone's one idea."""
    facilitator = open_context().new_page()
    create_first_account(facilitator, live_server)
    code = create_workshop(facilitator)
    facilitator.get_by_role("link", name="Open the live console").click()
    phone = (phone_context or open_context(**PHONE)).new_page()
    join_from_phone(phone, live_server, code, "Carer")
    facilitator.get_by_role("button", name="Next: Add ideas").click()
    add_idea(phone, "responsibility", "Helps people find local support")
    facilitator.get_by_role("button", name="Next: Review").click()
    facilitator.get_by_role("button", name="Next: Vote").click()
    facilitator.get_by_role("radio", name="Agree, not sure or disagree").check()
    facilitator.get_by_role("button", name="Open the vote").click()
    expect(phone.get_by_role("heading", name="Your votes")).to_be_visible()
    return facilitator, phone


def test_a_vote_survives_a_reload_and_is_counted_once(live_server, open_context):
    facilitator, phone = open_agree_vote_on_one_idea(live_server, open_context)
    phone.context.set_offline(True)
    expect(phone.locator("#connection")).not_to_have_text("Connected", timeout=60_000)
    phone.get_by_role("radio", name="Agree", exact=True).check()  # tapped with no signal
    phone.context.set_offline(False)
    phone.reload()  # the signal is back but the page reloads: the vote waits in its outbox
    expect(phone.get_by_role("radio", name="Agree", exact=True)).to_be_checked()
    expect(facilitator.locator(".coprod-tally")).to_contain_text("100% (1/1)", timeout=20_000)
    phone.reload()
    expect(phone.get_by_role("radio", name="Agree", exact=True)).to_be_checked()


def wait_for(page, condition, seconds=10):
    """Let the page run until `condition()` holds (frames are seen on Playwright's side)."""
    for _ in range(seconds * 20):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("waited too long")


def test_a_vote_whose_answer_never_came_is_sent_again_once_while_connected(live_server,
                                                                          open_context):
    context = open_context(**PHONE)
    context.clock.install()  # so the test can move the phone's clock past the answer's wait
    votes_lost, votes_sent = [], []

    def lose_the_first_vote(socket):
        server = socket.connect_to_server()

        def from_phone(message):
            if isinstance(message, str) and '"vote:set"' in message:
                if not votes_lost:
                    votes_lost.append(message)  # as if the signal dropped it: no answer comes
                    return
                votes_sent.append(message)
            server.send(message)
        socket.on_message(from_phone)

    context.route_web_socket(re.compile(r".*/socket\.io/.*"), lose_the_first_vote)
    facilitator, phone = open_agree_vote_on_one_idea(live_server, open_context, context)
    phone.get_by_role("radio", name="Agree", exact=True).check()
    wait_for(phone, lambda: votes_lost)
    assert len(votes_lost) == 1 and votes_sent == []
    phone.clock.run_for(12_000)  # the 10 s wait for an answer, then a short pause
    expect(facilitator.locator(".coprod-tally")).to_contain_text("100% (1/1)")
    expect(phone.locator("#connection")).to_have_text("Connected")  # never had to reconnect
    phone.clock.run_for(60_000)
    phone.wait_for_timeout(200)
    assert len(votes_sent) == 1  # one copy again, and none after its answer came
    without_ack_number = [re.sub(r"^42\d*", "", frame) for frame in votes_lost + votes_sent]
    assert without_ack_number[0] == without_ack_number[1]  # the same action, with the same id
