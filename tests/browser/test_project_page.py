"""A project in Chromium: started from the home page, a milestone overdue in words, the record,
and joins per group against the project's target on the console and the wall."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, axe_violations
from .test_every_page import NARROW, SIDEWAYS
from .test_first_workshop import create_first_account, join_from_phone

pytestmark = pytest.mark.browser


def start_project(page) -> None:
    page.get_by_role("link", name="Start a role redesign project").click()
    page.get_by_role("button", name="Start the project").click()  # empty: kind messages
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Project title").fill("Redesigning roles at the centre")
    page.get_by_label("People you hope for from each group").fill("2")
    page.get_by_label("Title of the first session").fill("Session 1: what the roles do")
    page.get_by_label("Date").fill("2027-03-14")
    page.get_by_role("button", name="Start the project").click()
    expect(page.get_by_role("heading", name="Redesigning roles at the centre")).to_be_visible()


def test_a_project_page_with_an_overdue_milestone_and_targets_live(live_server, open_context):
    facilitator = open_context().new_page()
    create_first_account(facilitator, live_server)
    start_project(facilitator)
    facilitator.get_by_label("Milestone").fill("Outlines to workforce team")
    facilitator.get_by_label("Due on").fill("2020-01-31")
    facilitator.get_by_role("button", name="Add milestone").click()
    milestone = facilitator.locator(".coprod-milestones li")
    expect(milestone).to_contain_text("Overdue:")
    assert axe_violations(facilitator) == []
    facilitator.set_viewport_size(NARROW)  # 400 % zoom: wide tables scroll in their region
    assert facilitator.evaluate(SIDEWAYS) is None
    facilitator.set_viewport_size({"width": 1280, "height": 800})
    milestone.get_by_role("button", name="Mark as done").click()
    expect(milestone).not_to_contain_text("Overdue:")
    expect(facilitator.get_by_role("heading", name="Co-production statement")).to_be_visible()

    code = facilitator.locator("td.coprod-join-code").first.inner_text().replace(" ", "")
    facilitator.get_by_role("link", name="Live console for session 1").click()
    expect(facilitator.locator("#connection")).to_have_text("Connected")
    wall = facilitator.context.new_page()
    wall.goto(facilitator.url.replace("/console", "/projector"))
    expect(wall.locator("#connection")).to_have_text("Live")
    join_from_phone(open_context(**PHONE).new_page(), live_server, code, "Carer")
    expect(facilitator.locator("#counts")).to_contain_text("Carer: 1 of 2")
    expect(wall.locator("#counts")).to_contain_text("1 of 2")
