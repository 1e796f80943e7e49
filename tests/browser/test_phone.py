"""The participant's phone by touch, keyboard and screen reader, in Chromium at a phone's size.

The room is made in-process (a workshop, two other phones, eleven ideas so ids pass 9), then
the real server serves it; the facilitator moves the workshop on from a socket client, as the
console would, and this phone joins by its link like anyone in the room.
"""

import os
import re
import signal
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import socketio
from playwright.sync_api import expect

from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import cards

from ..conftest import app_on
from ..factories import PASSWORD, join, make_user, make_workshop, set_phase
from ..support.clients import live_socket, sign_in
from ..support.live_server import LiveServer
from ..support.rooms import STATEMENTS
from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

IDEAS = 11  # past 9, so ids of two digits are on the page
SAID = "#announce"
# Every text the polite announcer is given, recorded as the page sets it.
RECORD_ANNOUNCEMENTS = """
window.__said = [];
document.addEventListener("DOMContentLoaded", () => {
  const region = document.querySelector("#announce");
  if (!region) return;
  new MutationObserver(() => { if (region.textContent) window.__said.push(region.textContent); })
    .observe(region, { childList: true, characterData: true, subtree: true });
});
"""


@dataclass
class Room:
    server: LiveServer
    workshop_id: int
    code: str
    card_ids: list[int]
    texts: list[str]
    console: socketio.Client

    def staff(self, event: str, payload: dict) -> dict:
        """Do what the facilitator's console does, and check it worked."""
        reply = self.console.call(event, payload, timeout=15)
        assert reply["ok"], reply
        return reply

    def phase(self, *phases: str) -> None:
        for phase in phases:
            self.staff("phase:set", {"phase": phase})

    def open_vote(self, mode: str, **rules) -> int:
        return self.staff("round:open", {"mode": mode, **rules})["round"]["id"]


@contextmanager
def served_room(databases, tmp_path, phase: str = "review"):
    """A workshop with IDEAS ideas from two other phones, served by the real server."""
    url = databases.fresh()
    with app_on(url):
        owner = make_user("facilitator", email="sam@example.org")
        workshop_id = make_workshop(owner)
        code = db.session.get(Workshop, workshop_id).join_code
        role_ids = [role.id for role in db.session.get(Workshop, workshop_id).roles]
        others = [actor_of_participant(join(workshop_id, group))
                  for group in ("Staff", "Service user or patient")]
        set_phase(owner, workshop_id, "contribute")
        statements = [item for items in STATEMENTS.values() for item in items]
        card_ids, texts = [], []
        for number in range(IDEAS):
            kind, text = statements[number]
            added = cards.add_card(others[number % 2], workshop_id,
                                   "responsibility" if kind == "R" else "competence", text,
                                   role_ids[number % 3] if number % 4 else None)["card"]
            card_ids.append(added["id"])
            texts.append(text)
        set_phase(owner, workshop_id, *_steps_to(phase))
    server = LiveServer(url, log_path=tmp_path / "server.log").start()
    console = live_socket(server.url, sign_in(server.url, "sam@example.org", PASSWORD),
                          workshop_id, "console")
    try:
        yield Room(server, workshop_id, code, card_ids, texts, console)
    finally:
        console.disconnect()
        server.stop()


def actor_of_participant(participant):
    from coprod.domain.actors import Actor
    return Actor.participant(participant.id, participant.constituency.name)


def _steps_to(phase: str) -> list[str]:
    order = ["contribute", "review", "vote", "results", "build", "closed"]
    return order[1:order.index(phase) + 1] if phase != "contribute" else []


def join_by_link(page, room: Room, group: str = "Carer") -> None:
    """Join as people in the room do: the QR code's link, a group, consent."""
    page.goto(f"{room.server.url}/j/{room.code}")
    page.get_by_label(group, exact=True).check()
    page.get_by_label("I have read this and I want to take part").check()
    page.get_by_role("button", name="Join the workshop").click()
    expect(page.locator("#connection")).to_have_text("Connected")


def phone_page(open_context, **options):
    context = open_context(**PHONE, **options)
    context.add_init_script(RECORD_ANNOUNCEMENTS)
    return context.new_page()


def focused(page) -> str:
    """The id of the element with focus (or its tag when it has none)."""
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def said(page) -> list[str]:
    return page.evaluate("window.__said")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def card_item(page, text: str):
    return page.locator("#vote-cards li", has_text=text)


@contextmanager
def server_paused(room: Room):
    """The server stops answering (as behind a Wi-Fi that died quietly): the socket stays open."""
    os.kill(room.server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(room.server.process.pid, signal.SIGCONT)


def test_an_agree_vote_by_keyboard_keeps_focus_confirms_answers_and_says_when_unsent(
        databases, tmp_path, open_context):
    with served_room(databases, tmp_path, phase="vote") as room:
        page = phone_page(open_context)
        join_by_link(page, room)
        message = page.locator("#phase-message")
        expect(message).to_have_text("The vote will open soon. Please wait.")
        assert axe_violations(page) == []

        round_id = room.open_vote("agree")
        expect(message).to_have_text(re.compile(r"^Time to vote\."))
        progress = page.locator("#vote-progress")
        expect(progress).to_have_text(f"0 of {IDEAS} answered")
        tenth, eleventh = room.card_ids[9], room.card_ids[10]
        page.focus(f"#agree-{tenth}-agree")
        page.keyboard.press("ArrowRight")  # the radio group moves, and chooses, with arrows
        assert focused(page) == f"agree-{tenth}-unsure"
        expect(page.locator(f"#agree-{tenth}-unsure")).to_be_checked()
        expect(card_item(page, room.texts[9]).locator(".vote-card__status")).to_have_text("Saved")
        expect(progress).to_have_text(f"1 of {IDEAS} answered")
        assert focused(page) == f"agree-{tenth}-unsure"  # still there once the answer came back

        # A live update elsewhere (the facilitator rewords another idea) moves nobody's focus.
        room.staff("card:edit", {"card_id": room.card_ids[0], "text": "Helps people find their way"})
        expect(page.locator("#vote-cards")).to_contain_text("Helps people find their way")
        assert focused(page) == f"agree-{tenth}-unsure"

        page.keyboard.press("Tab")  # the next idea, not the first one
        assert focused(page) == f"agree-{eleventh}-agree"
        page.keyboard.press("Space")
        expect(page.locator(f"#agree-{eleventh}-agree")).to_be_checked()
        expect(progress).to_have_text(f"2 of {IDEAS} answered")
        page.keyboard.press("Shift+Tab")
        assert focused(page) == f"agree-{tenth}-unsure"  # back to the chosen answer
        assert axe_violations(page) == []

        with server_paused(room):  # the answer cannot arrive, though the phone looks connected
            page.keyboard.press("ArrowRight")
            status = card_item(page, room.texts[9]).locator(".vote-card__status")
            expect(status).to_have_text("Sending…")
            expect(status).to_have_text("Not sent yet. We will try again.", timeout=6000)
            expect(progress).to_contain_text("1 answer is not sent yet. We will try again.")
            expect(page.locator("#connection")).to_have_text("Connected")
            assert focused(page) == f"agree-{tenth}-disagree"
        expect(status).to_have_text("Saved", timeout=15_000)
        expect(progress).to_have_text(f"2 of {IDEAS} answered")
        assert focused(page) == f"agree-{tenth}-disagree"

        room.staff("round:close", {"round_id": round_id})
        expect(message).to_have_text("Voting has closed. Thank you.")
        expect(page.locator("#vote")).to_be_hidden()
        assert axe_violations(page) == []


def test_a_dot_vote_adds_two_dots_with_two_presses_and_the_buttons_keep_focus(
        databases, tmp_path, open_context):
    with served_room(databases, tmp_path, phase="vote") as room:
        page = phone_page(open_context)
        join_by_link(page, room)
        room.open_vote("dots", budget=5, max_per_card=2)
        progress = page.locator("#vote-progress")
        expect(progress).to_have_text("Dots left: 5 of 5")
        item = card_item(page, room.texts[10])
        more = item.get_by_role("button", name=f"Add a dot to: {room.texts[10]}")
        less = item.get_by_role("button", name=f"Take a dot off: {room.texts[10]}")
        more.focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # the second "+" counts too
        expect(item.locator(".dot-count")).to_have_text("2 dots")
        expect(progress).to_have_text("Dots left: 3 of 5")
        expect(item.locator(".vote-card__status")).to_have_text("Saved")
        expect(more).to_be_focused()
        expect(more).to_be_disabled()  # 2 per idea, said without taking focus away
        page.keyboard.press("Enter")
        expect(item.locator(".dot-count")).to_have_text("2 dots")
        page.keyboard.press("Shift+Tab")
        expect(less).to_be_focused()
        page.keyboard.press("Space")
        expect(item.locator(".dot-count")).to_have_text("1 dot")
        expect(progress).to_have_text("Dots left: 4 of 5")
        expect(less).to_be_focused()
        expect(item.locator(".vote-card__status")).to_have_text("Saved")
        assert axe_violations(page) == []
        page.reload()  # what the server holds comes back
        expect(card_item(page, room.texts[10]).locator(".dot-count")).to_have_text("1 dot")
        expect(page.locator("#vote-progress")).to_have_text("Dots left: 4 of 5")


def test_the_phone_says_each_phase_once_and_passes_axe_in_every_phase(databases, tmp_path,
                                                                      open_context):
    with served_room(databases, tmp_path, phase="contribute") as room:
        page = phone_page(open_context)
        join_by_link(page, room)
        message = page.locator("#phase-message")
        expect(page.get_by_role("heading", name="Add an idea")).to_be_visible()
        assert axe_violations(page) == [] and no_sideways_scroll(page)

        # The count is on screen at every key, but spoken only near the limit, after a pause.
        box = page.get_by_label("Your idea")
        box.fill("x" * 100)
        expect(page.locator("#card-text-count")).to_have_text(re.compile(r"You have \d+ characters left"))
        page.wait_for_timeout(1300)
        assert page.locator("#card-text-alert").text_content() == ""
        limit = int(box.get_attribute("maxlength"))
        box.fill("x" * (limit - 15))
        expect(page.locator("#card-text-alert")).to_have_text("You have 15 characters left.")
        box.fill("")

        room.phase("review", "vote")
        expect(message).to_have_text("The vote will open soon. Please wait.")
        assert message.text_content() != "Time to vote."
        dots = room.open_vote("dots", budget=3, max_per_card=2)
        expect(page.locator("#vote-progress")).to_have_text("Dots left: 3 of 3")
        assert axe_violations(page) == [] and no_sideways_scroll(page)
        room.staff("round:close", {"round_id": dots})
        room.staff("round:reveal", {"round_id": dots})
        expect(page.get_by_role("heading", name="What the room thinks")).to_be_visible()
        expect(page.locator("#results-list li")).to_have_count(IDEAS)  # one row per idea
        assert axe_violations(page) == [] and no_sideways_scroll(page)
        heard = said(page)
        for sentence in ("The vote will open soon. Please wait.", "Voting has closed. Thank you.",
                         "The results are here. Scroll down to see what the room thinks."):
            assert heard.count(sentence) == 1, heard
        assert sum(text.startswith("Time to vote.") for text in heard) == 1, heard
        page.reload()  # the same state again, as after a reconnect: nothing said twice
        expect(page.locator("#connection")).to_have_text("Connected")
        expect(message).to_have_text("Voting has closed. Thank you.")
        page.wait_for_timeout(500)
        assert said(page) == []

        for phase, text in (("results", "Look up at the screen"),
                            ("build", "turning the ideas into role outlines"),
                            ("closed", "This workshop has finished")):
            room.phase(phase)
            expect(message).to_contain_text(text)
            assert axe_violations(page) == [] and no_sideways_scroll(page)
        page.wait_for_timeout(300)
        assert said(page) == [
            "Look up at the screen to see what the room thinks.",
            "The group is turning the ideas into role outlines. Watch the screen.",
            "This workshop has finished. Thank you for taking part."]


def test_join_and_consent_pages_with_problems_focus_their_summary_and_pass_axe(
        databases, tmp_path, open_context):
    with served_room(databases, tmp_path, phase="contribute") as room:
        page = phone_page(open_context)
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(f"{room.server.url}/join")
        page.get_by_label("Join code").fill("ZZZZ")
        page.get_by_role("button", name="Continue").click()
        expect(page.locator(".problem")).to_be_focused()
        assert axe_violations(page) == [] and no_sideways_scroll(page)

        page.goto(f"{room.server.url}/j/{room.code}")
        assert axe_violations(page) == [] and no_sideways_scroll(page)
        page.get_by_role("button", name="Join the workshop").click()  # nothing chosen
        problem = page.locator(".problem")
        expect(problem).to_be_focused()
        expect(problem).to_contain_text("Please check this")
        assert axe_violations(page) == [] and no_sideways_scroll(page)
        page.keyboard.press("Tab")  # straight to the first thing to fix
        assert page.evaluate("document.activeElement.closest('.problem') !== null")
