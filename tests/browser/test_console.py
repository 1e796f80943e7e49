"""The facilitator's console on a laptop, with a real room's 60 ideas: dense rows that fit in
three screens, the next step always in view, rare actions behind one button per idea, merges
that ask first once a vote has been opened, focus that stays put on live updates, and no
accessibility problem or sideways scroll in any phase."""

import re
import uuid
from dataclasses import dataclass

import pytest
import requests
from playwright.sync_api import expect

from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import workshops

from ..conftest import app_on
from ..factories import PASSWORD, actor_of, group_id, join, make_user, make_workshop
from ..support.clients import join as join_over_http
from ..support.clients import live_socket
from ..support.live_server import LiveServer
from ..support.rooms import build_room
from .conftest import axe_violations

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
IDEAS = 60


@dataclass(frozen=True)
class Console:
    """A workshop on the live server and the account that runs it."""
    email: str
    workshop_id: int
    code: str
    carer_group: int  # a group id, for a phone that joins during the test
    ideas_shown: int  # ideas the console lists (a merged one is not listed)


def _room(ideas: int) -> Console:
    room = build_room(ideas, people_per_group=3, votes=False, outlines=False)  # left in Review
    workshop = db.session.get(Workshop, room.workshop_id)
    merged = 1 if room.kept_merge else 0
    return Console(room.owner.email, room.workshop_id, workshop.join_code,
                   group_id(room.workshop_id, "Carer"), len(room.card_ids) - merged)


def _lobby() -> Console:
    owner = make_user("facilitator")
    workshop_id = make_workshop(owner, title="A workshop about to start")
    for group, nickname in (("Carer", "Mo"), ("Staff", None), ("Service user or patient", "Bee")):
        join(workshop_id, group, nickname)
    workshop = db.session.get(Workshop, workshop_id)
    return Console(owner.email, workshop_id, workshop.join_code, group_id(workshop_id, "Carer"), 0)


def _expecting_three() -> Console:
    owner = make_user("facilitator")
    workshop_id = make_workshop(owner, title="A small workshop")
    workshops.set_expected_size(actor_of(owner), workshop_id, 3)
    for group in ("Carer", "Staff", "Staff"):
        join(workshop_id, group)
    workshop = db.session.get(Workshop, workshop_id)
    return Console(owner.email, workshop_id, workshop.join_code, group_id(workshop_id, "Carer"), 0)


@pytest.fixture(scope="module")
def consoles(databases, tmp_path_factory):
    """One server with three workshops (each test changes its own): 60 ideas, 24 ideas, and one
    in the lobby with named people."""
    url = databases.fresh()
    with app_on(url):
        # The phases walk runs axe eight times: a 24-idea room keeps it quick (60 is measured above).
        built = {"fit": _room(IDEAS), "phases": _room(24), "lobby": _lobby(),
                 "three": _expecting_three()}
    server = LiveServer(url, log_path=tmp_path_factory.mktemp("console") / "server.log").start()
    yield server, built
    server.stop()


def open_console(open_context, server, console: Console, viewport=LAPTOP):
    page = open_context(viewport=viewport).new_page()
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(console.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()
    page.goto(f"{server.url}/workshops/{console.workshop_id}/console")
    expect(page.locator("#connection")).to_have_text("Connected")
    expect(page.locator(".coprod-console-card")).to_have_count(console.ideas_shown)
    return page


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]
            and box["x"] >= 0 and box["x"] + box["width"] <= size["width"])


def sideways_scroll(page) -> int:
    """How far the page scrolls sideways (0 when it reflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def row(page, text: str):
    return page.locator(".coprod-console-card", has=page.locator(".coprod-console-card__text",
                                                                  has_text=re.compile(f"^{re.escape(text)}$")))


def row_text(page, index: int) -> str:
    return page.locator(".coprod-console-card__text").nth(index).inner_text()


def card_id(page, text: str) -> str:
    return row(page, text).get_attribute("data-card")


def actions(page, text: str):
    return page.get_by_role("button", name=f"Actions for: {text}", exact=True)


def short(text: str) -> str:
    """The console's short form of an idea (live.js shortText)."""
    return text if len(text) <= 60 else text[:57] + "…"


def test_sixty_ideas_fit_in_three_screens_and_actions_open_one_idea_at_a_time(consoles,
                                                                               open_context):
    server, built = consoles
    console = built["fit"]
    page = open_console(open_context, server, console)

    heights = page.evaluate("""() => ({list: document.getElementById('cards').offsetHeight,
                                       page: document.documentElement.scrollHeight})""")
    print(f"\n{console.ideas_shown} ideas at 1440x900: idea list {heights['list']} px "
          f"({heights['list'] / 900:.2f} screens), whole page {heights['page']} px")
    assert heights["list"] <= 3 * LAPTOP["height"]

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    next_phase = page.get_by_role("button", name="Next: Vote")
    assert in_viewport(page, next_phase)  # the bar stays at the top of the window

    # One control per idea; it opens that idea's rare actions and nothing else.
    first, second = row_text(page, 0), row_text(page, 1)
    expect(page.get_by_role("button", name="Edit wording")).to_have_count(0)
    actions(page, first).click()
    expect(actions(page, first)).to_have_attribute("aria-expanded", "true")
    panel = row(page, first).locator(".coprod-console-card__panel")
    for name in (f"Edit wording: {short(first)}", f"Hide: {short(first)}", f"Merge: {short(first)}"):
        expect(panel.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.locator(".coprod-console-card__panel:visible")).to_have_count(1)
    merge_into = panel.get_by_label("Merge into")
    expect(merge_into).to_have_value("")  # nothing chosen for the facilitator
    expect(merge_into.locator("option").first).to_have_text("Choose an idea")
    page.keyboard.press("Escape")
    expect(page.locator(".coprod-console-card__panel:visible")).to_have_count(0)
    expect(actions(page, first)).to_be_focused()  # Escape returns to the button

    # Before any vote, a merge needs no question: the idea goes, undo waits under the target.
    actions(page, first).click()
    panel.get_by_label("Merge into").select_option(card_id(page, second))
    panel.get_by_role("button", name=f"Merge: {short(first)}").click()
    expect(row(page, first)).to_have_count(0)
    expect(page.locator(".coprod-console-card")).to_have_count(console.ideas_shown - 1)
    expect(page.get_by_text("Yes, merge")).to_have_count(0)
    expect(actions(page, second)).to_be_focused()
    expect(row(page, second)).to_contain_text(f'Merged in: "{first}"')
    actions(page, second).click()
    expect(row(page, second).get_by_role("button", name=f"Undo merge: {short(first)}")).to_be_visible()

    # A phone adds an idea while the facilitator's focus is on an Actions button: it stays there.
    page.get_by_role("button", name="Back to Add ideas").click()
    expect(page.locator("#phase-label")).to_have_text("Add ideas")
    third = row_text(page, 3)
    actions(page, third).focus()
    phone = join_over_http(server.url, console.code, console.carer_group)
    socket = live_socket(server.url, phone, console.workshop_id, "phone")
    try:
        reply = socket.call("card:add", {"cid": uuid.uuid4().hex, "kind": "competence",
                                         "text": "Knows the bus routes to the centre"})
        assert reply["ok"], reply
    finally:
        socket.disconnect()
    expect(page.locator(".coprod-console-card").first).to_contain_text("Knows the bus routes")
    expect(actions(page, third)).to_be_focused()


def test_merging_after_a_vote_opens_asks_first_and_every_phase_passes_axe(consoles,
                                                                         open_context):
    server, built = consoles
    console = built["phases"]
    page = open_console(open_context, server, console)
    assert axe_violations(page) == []  # review
    for phase in ("Add ideas", "Welcome"):
        page.get_by_role("button", name=f"Back to {phase}").click()
        expect(page.locator("#phase-label")).to_have_text(phase)
        assert axe_violations(page) == [], phase
    for phase in ("Add ideas", "Review", "Vote"):
        page.get_by_role("button", name=f"Next: {phase}").click()
        expect(page.locator("#phase-label")).to_have_text(phase)

    # In the Vote phase a merge would move votes: the console asks, and Cancel changes nothing.
    first, second = row_text(page, 0), row_text(page, 1)
    actions(page, first).click()
    panel = row(page, first).locator(".coprod-console-card__panel")
    panel.get_by_role("button", name=f"Merge: {short(first)}").click()
    expect(row(page, first)).to_contain_text("Choose the idea to merge this one into.")
    expect(panel.get_by_label("Merge into")).to_be_focused()
    panel.get_by_label("Merge into").select_option(card_id(page, second))
    panel.get_by_role("button", name=f"Merge: {short(first)}").click()
    question = panel.get_by_role("group", name=re.compile("^Merge "))
    expect(question).to_contain_text(f'Votes already cast for "{short(first)}" will count for '
                                     f'"{short(second)}".')
    expect(page.get_by_role("button", name="Yes, merge")).to_be_focused()
    assert axe_violations(page) == []  # vote phase, question open
    page.get_by_role("button", name="Cancel").click()
    expect(question).to_have_count(0)
    expect(page.locator(".coprod-console-card")).to_have_count(console.ideas_shown)
    expect(row(page, second)).not_to_contain_text("Merged in")
    expect(panel.get_by_role("button", name=f"Merge: {short(first)}")).to_be_focused()

    panel.get_by_role("button", name=f"Merge: {short(first)}").click()
    page.get_by_role("button", name="Yes, merge").click()
    expect(row(page, first)).to_have_count(0)
    expect(row(page, second)).to_contain_text(f'Merged in: "{first}"')
    actions(page, second).click()
    expect(row(page, second).get_by_role("button", name=f"Undo merge: {short(first)}")).to_be_visible()
    page.keyboard.press("Escape")

    # Dragging one idea onto another, the mouse's way to merge, asks the same question.
    third, fourth = row_text(page, 2), row_text(page, 3)
    row(page, third).drag_to(row(page, fourth))
    dragged = row(page, fourth).get_by_role("group", name=re.compile("^Merge "))
    expect(dragged).to_contain_text(f'Merge "{short(third)}" into "{short(fourth)}"?')
    dragged.get_by_role("button", name="Cancel").click()
    expect(dragged).to_have_count(0)
    expect(page.locator(".coprod-console-card")).to_have_count(console.ideas_shown - 1)

    page.get_by_role("radio", name="Agree, not sure or disagree").check()
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_role("button", name="Close the vote")).to_be_visible()
    expect(page.get_by_role("region", name=re.compile("^Support within each group"))).to_be_visible()
    assert axe_violations(page) == []  # vote open, tally showing
    page.get_by_role("button", name="Close the vote").click()
    page.get_by_role("button", name="Show the results").click()
    expect(page.locator("#vote-feedback")).to_have_text("The results are on the screen and phones.")
    for phase in ("Results", "Build role outlines"):
        page.get_by_role("button", name=f"Next: {phase}").click()
        expect(page.locator("#phase-label")).to_have_text(phase)
        assert axe_violations(page) == [], phase

    # At 320 px (1280 px at 400 % zoom) the page reflows: only the tally scrolls in its box.
    page.set_viewport_size({"width": 320, "height": 256})
    assert sideways_scroll(page) <= 0
    actions(page, row_text(page, 0)).click()
    assert sideways_scroll(page) <= 0
    assert axe_violations(page) == []  # build, at 320 px


def test_the_lobby_reflows_and_remove_name_says_what_it_shows(consoles, open_context):
    server, built = consoles
    page = open_console(open_context, server, built["lobby"], viewport={"width": 320, "height": 256})
    assert sideways_scroll(page) <= 0
    remove = page.get_by_role("button", name=re.compile("^Remove name of Participant"))
    expect(remove).to_have_count(2)
    expect(remove.first).to_have_text("Remove name")
    assert axe_violations(page) == []
    remove.first.click()
    expect(remove).to_have_count(1)
    page.set_viewport_size(LAPTOP)
    # Waits for the laptop layout (the bar turns sticky at 48em): a box read at once may predate it.
    expect(page.get_by_role("button", name="Next: Add ideas")).to_be_in_viewport(ratio=1)
    assert axe_violations(page) == []

    # The wall's pages are turned and held from the bar; the console says what the wall did.
    feedback = page.locator("#phase-feedback")
    page.get_by_role("button", name="Hold pages").click()
    expect(feedback).to_have_text("The wall's pages are held. They stay still until you press "
                                  "Play pages.")
    page.get_by_role("button", name="Next page").click()
    expect(feedback).to_have_text("The wall turned to its next page.")
    page.get_by_role("button", name="Play pages").click()
    expect(feedback).to_have_text("The wall turns its pages again.")


def test_joins_past_the_expected_size_warn_without_moving_focus_and_the_room_locks(consoles,
                                                                                  open_context):
    server, built = consoles
    console = built["three"]
    page = open_console(open_context, server, console)
    wall = page.context.new_page()  # the projector, signed in as the same facilitator
    wall.goto(f"{server.url}/workshops/{console.workshop_id}/projector")
    expect(wall.locator("#join-code")).to_be_visible()
    page.bring_to_front()
    lock = page.get_by_role("button", name="Lock the room")
    expect(lock).to_be_visible()
    expect(page.locator("#joining-figures")).to_contain_text("3 here, of 3 expected.")
    warning = page.get_by_role("status").filter(has_text="than you expected")
    expect(warning).to_have_count(0)
    lock.focus()

    join_over_http(server.url, console.code, console.carer_group)  # a fourth phone: one too many
    expect(warning).to_have_text("More people have joined (4) than you expected (3). "
                                 "If everyone is in, you could lock the room.")
    expect(page.locator("#joining-warning")).to_have_attribute("aria-live", "polite")
    expect(lock).to_be_focused()  # the warning is said, not jumped to

    page.keyboard.press("Enter")
    opened = page.get_by_role("button", name="Open the room to new people")
    expect(opened).to_be_focused()  # the same button, relabelled
    expect(page.locator("#room-state")).to_contain_text("The room is locked")
    refused = requests.get(f"{server.url}/j/{console.code}", timeout=30)
    assert refused.status_code == 403
    assert "not taking new people just now" in refused.text
    # The wall stops showing the code and says so kindly.
    expect(wall.get_by_text("Everyone is in. This workshop is not taking new people just now.")) \
        .to_be_visible()
    expect(wall.locator("#join-code")).to_be_hidden()
    assert axe_violations(page) == []
