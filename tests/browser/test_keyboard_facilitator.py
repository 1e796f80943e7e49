"""A facilitator runs a whole workshop with the keyboard only: sign in, create the workshop, move
through the phases, open an agree vote, close it, show the results, add an idea to a role's
outline and sign it off. No clicks and no filling fields by locator: Tab, Shift+Tab, Enter,
Space and the arrow keys, and typing into the field that has focus. After every step the test
checks where focus is, and it counts the key presses each step takes (printed with -s).

The phones' part (joining, adding ideas, voting) is not the facilitator's: python-socketio
clients do it, as phones speak the same protocol.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from ..conftest import app_on
from ..factories import PASSWORD, group_id, make_user
from ..support.clients import join as join_over_http
from ..support.clients import live_socket
from ..support.live_server import LiveServer

pytestmark = pytest.mark.browser

EMAIL = "kim.facilitator@example.org"
TITLE = "Navigator role, keyboard only"
GROUPS = ("Service user or patient", "Carer", "Staff")
IDEAS = ("Helps people find local support", "Phones people back within two days",
         "Explains what the centre offers in plain words")
MOST_PRESSES = 200  # a control further than this from where focus is counts as unreachable

# The name a screen reader would give the focused element (aria-label, aria-labelledby, its
# label, or its text), with white space tidied: good enough to find controls by their names.
FOCUSED_NAME = """() => {
  const node = document.activeElement;
  if (!node || node === document.body) return "";
  const tidy = (text) => (text || "").replace(/\\s+/g, " ").trim();
  if (node.getAttribute("aria-label")) return tidy(node.getAttribute("aria-label"));
  const ids = node.getAttribute("aria-labelledby");
  if (ids) return tidy(ids.split(" ").map((id) => document.getElementById(id)?.textContent).join(" "));
  if (node.labels && node.labels.length) return tidy(node.labels[0].textContent);
  return tidy(node.textContent || node.value);
}"""


class Keyboard:
    """The facilitator's hands: every key press goes through here and is counted per step."""

    def __init__(self, page):
        self.page = page
        self.steps: dict[str, int] = {}
        self.step = None

    def start(self, step: str) -> None:
        self.step = step
        self.steps[step] = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.steps[self.step] += 1

    def type(self, text: str) -> None:
        """Typing into the focused field counts as one step of work, not one press per letter."""
        self.page.keyboard.type(text)
        self.steps[self.step] += 1

    def focused(self) -> str:
        return self.page.evaluate(FOCUSED_NAME)

    def tab_to(self, name: str | re.Pattern, backwards: bool = False) -> str:
        """Press Tab (or Shift+Tab) until the focused element's name is `name` (or matches it)."""
        for _ in range(MOST_PRESSES):
            self.press("Shift+Tab" if backwards else "Tab")
            here = self.focused()
            if (name.search(here) if isinstance(name, re.Pattern) else here == name):
                return here
        raise AssertionError(f"{name!r} is not reachable in {MOST_PRESSES} presses of Tab")


class Phones:
    """Three phones, one per group, as socket clients."""

    def __init__(self, server, database_url: str, workshop_id: int, code: str):
        with app_on(database_url):
            groups = [group_id(workshop_id, name) for name in GROUPS]
        self.sockets = [live_socket(server.url, join_over_http(server.url, code, group),
                                    workshop_id, "phone") for group in groups]

    def add_ideas(self) -> None:
        for phone, text in zip(self.sockets, IDEAS, strict=True):
            reply = phone.call("card:add", {"cid": uuid.uuid4().hex, "kind": "responsibility",
                                            "text": text, "role_id": None})
            assert reply["ok"], reply

    def agree_with_everything(self) -> None:
        for phone in self.sockets:
            state = phone.call("sync", {})["state"]
            for card in state["cards"]:
                reply = phone.call("vote:set", {"cid": uuid.uuid4().hex, "round_id": state["round"]["id"],
                                                "card_id": card["id"], "value": "agree"})
                assert reply["ok"], reply

    def leave(self) -> None:
        for phone in self.sockets:
            phone.disconnect()


@pytest.fixture
def server(databases, tmp_path):
    url = databases.fresh()
    with app_on(url):
        make_user("facilitator", email=EMAIL, name="Kim Facilitator")
    running = LiveServer(url, log_path=tmp_path / "server.log").start()
    yield running
    running.stop()


def test_a_facilitator_runs_a_workshop_from_sign_in_to_sign_off_by_keyboard(server, open_context):
    page = open_context(viewport={"width": 1440, "height": 900}).new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the browser's own confirm: Enter accepts it
    keys = Keyboard(page)

    keys.start("sign in")
    page.goto(server.url + "/login")
    keys.tab_to("Email address")
    keys.type(EMAIL)
    keys.tab_to("Password")
    keys.type(PASSWORD)
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()
    assert keys.focused() == ""  # a new page: focus starts at its top, before the skip link

    keys.start("create a workshop")
    keys.tab_to("Create a workshop")
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Create a workshop")).to_be_visible()
    keys.tab_to("Workshop title")
    keys.type(TITLE)
    keys.tab_to("Create workshop")
    keys.press("Enter")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    code = page.locator(".coprod-join-code").first.inner_text().replace(" ", "")
    workshop_id = int(re.search(r"/workshops/(\d+)", page.url).group(1))

    keys.start("open the console")
    keys.tab_to("Open the live console")
    keys.press("Enter")
    expect(page.locator("#connection")).to_have_text("Connected")
    phones = Phones(server, server.database_url, workshop_id, code)
    try:
        run_the_room(page, keys, phones)
    finally:
        phones.leave()
    build_and_sign_off(page, keys)

    print("\nKey presses per step (Tab, Enter, Space, arrows; each typed field counts 1):")
    for step, count in keys.steps.items():
        print(f"  {step}: {count}")
    print(f"  total: {sum(keys.steps.values())}")


def run_the_room(page, keys: Keyboard, phones: Phones) -> None:
    """Console: phases up to the vote, an agree vote opened, closed and shown, then Build."""
    next_phase = page.locator("#phase-next")

    keys.start("move to Add ideas")
    keys.tab_to("Next: Add ideas")
    keys.press("Enter")
    expect(page.locator("#phase-label")).to_have_text("Add ideas")
    expect(next_phase).to_be_focused()  # focus stays on the bar's next button
    phones.add_ideas()
    expect(page.locator(".coprod-console-card")).to_have_count(len(IDEAS))
    expect(next_phase).to_be_focused()  # live updates never take it away

    keys.start("move to Review, then Vote")
    for phase in ("Review", "Vote"):
        expect(next_phase).to_have_text(f"Next: {phase}")
        keys.press("Enter")
        expect(page.locator("#phase-label")).to_have_text(phase)
        expect(next_phase).to_be_focused()

    keys.start("open an agree vote")
    keys.tab_to("Dot voting")  # Tab reaches the chosen radio; the arrow keys choose
    keys.press("ArrowRight")
    expect(page.get_by_role("radio", name="Agree, not sure or disagree")).to_be_checked()
    expect(page.get_by_role("radio", name="Agree, not sure or disagree")).to_be_focused()
    keys.tab_to("Open the vote")
    keys.press("Enter")
    close = page.get_by_role("button", name="Close the vote")
    expect(close).to_be_focused()

    phones.agree_with_everything()
    for text in IDEAS:
        expect(page.locator(".coprod-tally tr", has_text=text)).to_contain_text("100% (1/1)")
    expect(close).to_be_focused()

    keys.start("close the vote")
    keys.press("Enter")
    reveal = page.get_by_role("button", name="Show the results")
    expect(reveal).to_be_focused()

    keys.start("show the results")
    keys.press("Enter")
    expect(page.locator("#vote-feedback")).to_have_text("The results are on the screen and phones.")
    expect(next_phase).to_be_focused()

    keys.start("move to Results, then Build")
    for phase in ("Results", "Build role outlines"):
        keys.press("Enter")
        expect(page.locator("#phase-label")).to_have_text(phase)
    expect(page.get_by_role("button", name="Back to Results")).to_be_visible()


def build_and_sign_off(page, keys: Keyboard) -> None:
    """Builder (helper B's screen): choose the role, add the agreed idea, sign off."""
    keys.start("open the builder")
    keys.tab_to("Outline builder", backwards=True)  # in the links above the bar
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Outline builder")).to_be_visible()
    expect(page.locator("#connection")).to_have_text("Connected")

    keys.start("choose Navigator")
    keys.tab_to("Navigator")
    keys.press("Enter")
    navigator = page.get_by_role("button", name="Navigator")
    expect(navigator).to_have_attribute("aria-pressed", "true")
    expect(navigator).to_be_focused()

    keys.start("add an idea to the outline")
    added = keys.tab_to(re.compile(f"^Add to outline: {re.escape(IDEAS[0][:40])}"))
    keys.press("Enter")
    expect(page.locator("#builder-feedback")).to_contain_text("Saved as version")
    assert keys.focused(), f"focus fell back to the page after {added!r}"

    keys.start("sign off")
    keys.tab_to(re.compile(r"^Sign off version \d+ as agreed"))
    keys.press("Enter")
    expect(page.locator("#builder-feedback")).to_contain_text("is signed off as agreed")
    assert keys.focused(), "focus fell back to the page after signing off"
