"""What people see when their access ends, in Chromium: the facilitator takes someone out from
the console (asked in the page first), that phone says so and stays stopped; signing out in
another tab leaves the console saying why, not trying to reconnect."""

import re

import pytest
from playwright.sync_api import expect

from coprod.extensions import db
from coprod.models import Workshop

from ..conftest import app_on
from ..factories import PASSWORD, make_user, make_workshop, set_phase
from ..support.live_server import LiveServer
from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def server_and_room(databases, tmp_path):
    url = databases.fresh()
    with app_on(url):
        owner = make_user()
        email = owner.email
        workshop_id = make_workshop(owner)
        set_phase(owner, workshop_id, "contribute")
        code = db.session.get(Workshop, workshop_id).join_code
    server = LiveServer(url, log_path=tmp_path / "server.log").start()
    yield server, email, workshop_id, code
    server.stop()


def test_taking_someone_out_and_signing_out_leave_each_screen_saying_why(server_and_room,
                                                                        open_context):
    server, email, workshop_id, code = server_and_room
    phone = open_context(**PHONE).new_page()
    phone.goto(f"{server.url}/j/{code}")
    phone.get_by_label("Carer", exact=True).check()
    phone.get_by_label("I have read this and I want to take part").check()
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator("#connection")).to_have_text("Connected")

    laptop = open_context()
    console = laptop.new_page()
    console.goto(server.url + "/login")
    console.get_by_label("Email address").fill(email)
    console.get_by_label("Password").fill(PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    console.goto(f"{server.url}/workshops/{workshop_id}/console")
    expect(console.locator("#connection")).to_have_text("Connected")

    take_out = console.get_by_role("button", name=re.compile("^Take out Participant"))
    expect(take_out).to_have_count(1)
    take_out.click()
    expect(console.get_by_text(re.compile("out of this workshop\\? Their screen closes"))) \
        .to_be_visible()
    assert axe_violations(console) == []
    console.get_by_role("button", name="Yes, take them out").click()
    expect(console.locator("#participants")).to_contain_text("taken out")
    expect(take_out).to_have_count(0)

    gone = "The facilitator has taken you out of this workshop"
    expect(phone.locator("#connection")).to_contain_text(gone)
    phone.wait_for_timeout(3000)  # long enough for a reconnect attempt to show "Connecting…"
    expect(phone.locator("#connection")).to_contain_text(gone)
    phone.reload()  # their link no longer lets them in: the join page asks for a group again
    expect(phone.get_by_role("button", name="Join the workshop")).to_be_visible()

    other_tab = laptop.new_page()
    other_tab.goto(server.url + "/")
    other_tab.get_by_role("button", name="Sign out").click()
    expect(console.locator("#connection")).to_have_text(
        "You have been signed out. Please sign in again.")
    console.wait_for_timeout(3000)
    expect(console.locator("#connection")).to_have_text(
        "You have been signed out. Please sign in again.")
