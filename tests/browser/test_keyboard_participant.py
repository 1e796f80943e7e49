"""A participant's whole part of a workshop by keyboard alone: no clicks, no taps.

Join with the code, consent, add an idea, answer every idea in an agree vote, then spend every
dot of a dot vote, with Tab, Shift+Tab, arrows, Space, Enter and typing into the field that has
focus. After each step the test checks where focus is, and it counts the key presses (typed
characters apart), which the report of issue 11 gives per step.
"""

import pytest
from playwright.sync_api import expect

from .test_phone import IDEAS, focused, phone_page, served_room

pytestmark = pytest.mark.browser

MY_IDEA = "Rings people back the same day"
DOTS, MOST_PER_IDEA = 5, 2


class Keyboard:
    """Presses keys on the page and counts them, per step."""

    def __init__(self, page):
        self.page = page
        self.counts: dict[str, int] = {}
        self.step = ""

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.counts[self.step] = self.counts.get(self.step, 0) + 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)  # typed characters are not counted as presses

    def tab_to(self, element_id: str, most: int = 15, back: bool = False) -> None:
        """Tab (or Shift+Tab) until the element with this id has focus."""
        for _ in range(most):
            if focused(self.page) == element_id:
                return
            self.press("Shift+Tab" if back else "Tab")
        assert focused(self.page) == element_id, f"could not Tab to {element_id}"


def test_a_participant_joins_adds_an_idea_and_votes_twice_by_keyboard_alone(
        databases, tmp_path, open_context):
    with served_room(databases, tmp_path, phase="contribute") as room:
        page = phone_page(open_context)
        keys = Keyboard(page)

        keys.step = "join with the code"
        page.goto(f"{room.server.url}/join")
        keys.tab_to("code")
        keys.type(room.code.lower())
        keys.press("Enter")
        expect(page.get_by_role("heading", name="Before you join")).to_be_visible()

        keys.step = "consent"
        groups = page.locator("input[name=constituency]")
        first_group = groups.first.get_attribute("id")
        keys.tab_to(first_group)
        keys.press("ArrowDown")  # Service user or patient -> Carer
        carer = page.get_by_label("Carer", exact=True)
        expect(carer).to_be_checked()
        assert focused(page) == carer.get_attribute("id")
        keys.tab_to("consent")
        keys.press("Space")
        expect(page.locator("#consent")).to_be_checked()
        keys.press("Tab")
        expect(page.get_by_role("button", name="Join the workshop")).to_be_focused()
        keys.press("Enter")
        expect(page.locator("#connection")).to_have_text("Connected")

        keys.step = "add an idea"
        keys.tab_to("kind-responsibility")
        keys.tab_to("card-text")
        keys.type(MY_IDEA)
        keys.press("Tab")
        add = page.get_by_role("button", name="Add my idea")
        expect(add).to_be_focused()
        keys.press("Enter")
        expect(page.get_by_role("status").filter(has_text="Thank you")).to_be_visible()
        expect(add).to_be_focused()  # ready for another idea
        expect(page.locator("#cards li", has_text=MY_IDEA).locator(".card__note")).to_have_text("Yours")

        room.phase("review", "vote")  # the facilitator's part, not this person's
        agree_round = room.open_vote("agree")
        expect(page.locator("#phase-heading")).to_be_focused()  # the form went; focus did not fall off
        ideas = page.locator("#vote-cards fieldset")
        total = IDEAS + 1
        expect(ideas).to_have_count(total)

        keys.step = "answer every idea (agree vote)"
        progress = page.locator("#vote-progress")
        for number in range(total):
            keys.press("Tab")  # into the next idea's answers: the first one, none chosen yet
            radio_id = focused(page)
            assert radio_id.startswith("agree-") and radio_id.endswith("-agree"), radio_id
            if number % 3 == 1:
                keys.press("ArrowRight")  # Not sure
            elif number % 3 == 2:
                keys.press("ArrowLeft")  # round to Disagree
            else:
                keys.press("Space")  # Agree
            chosen = focused(page)
            expect(page.locator(f"#{chosen}")).to_be_checked()
            card = page.locator("#vote-cards li").nth(number)
            expect(card.locator(".vote-card__status")).to_have_text("Saved")
            expect(progress).to_have_text(f"{number + 1} of {total} answered")
            assert focused(page) == chosen  # after the answer came back, focus is where it was

        room.staff("round:close", {"round_id": agree_round})
        room.open_vote("dots", budget=DOTS, max_per_card=MOST_PER_IDEA)
        expect(progress).to_have_text(f"Dots left: {DOTS} of {DOTS}")
        expect(page.locator("#phase-heading")).to_be_focused()

        keys.step = "spend every dot (dot vote)"
        left = DOTS
        number = 0
        while left:
            card = page.locator("#vote-cards li").nth(number)
            more = card.locator(".dot-button").nth(1)
            keys.press("Tab", 2)  # past this idea's "−" to its "+"
            expect(more).to_be_focused()
            for _ in range(min(MOST_PER_IDEA, left)):
                keys.press("Enter")
                left -= 1
                expect(progress).to_have_text(f"Dots left: {left} of {DOTS}")
                expect(more).to_be_focused()
            expect(card.locator(".vote-card__status")).to_have_text("Saved")
            number += 1
        spent = page.locator(".dot-button[aria-label^='Add a dot'][aria-disabled='true']")
        expect(spent).to_have_count(total)  # every "+" says there is nothing left to give

    report = ", ".join(f"{step}: {count}" for step, count in keys.counts.items())
    print(f"\nKey presses per step (typed characters apart): {report}")
    assert keys.counts["answer every idea (agree vote)"] == 2 * total  # Tab and one key each
    assert keys.counts["spend every dot (dot vote)"] == DOTS + 2 * number
