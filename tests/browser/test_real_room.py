"""A real-sized room in Chromium: 8 phones of three groups add 24 ideas, vote on the page, and
the reveal reaches the projector and the phones; the audit trail verifies at the end.

Small rooms hide defects a real one finds (ids past 9, a wall that fills up), so this one has
more ideas and phones than the other browser tests, while staying quick enough to run often.
"""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from ..support.live_server import ROOT
from ..support.rooms import STATEMENTS
from .conftest import PHONE
from .test_first_workshop import create_first_account, create_workshop, join_from_phone, open_console_and_wall

pytestmark = pytest.mark.browser

GROUPS = ["Service user or patient"] * 3 + ["Carer"] * 3 + ["Staff"] * 2
ROLES = {"navigator": "Navigator", "hca": "Healthcare Assistant",
         "cmhc_nurse": "Nurse in Community Mental Health Centre", None: "Any role"}
IDEAS_PER_PHONE = 3
KIND_LABELS = {"R": "Responsibility", "C": "Competence"}


def ideas_for_phones() -> list[list[tuple[str, str, str]]]:
    """(kind label, role option, text) for each phone: every role and both kinds, in turn."""
    pool = [(KIND_LABELS[kind], ROLES[key], text)
            for step in range(4) for key, items in STATEMENTS.items()
            for kind, text in items[step * 2:step * 2 + 2]]
    # Nine apart, so each phone's ideas are for different roles, and no two phones share one.
    return [[pool[phone + 9 * turn] for turn in range(IDEAS_PER_PHONE)]
            for phone in range(len(GROUPS))]


def scan_and_join(phone, server, code: str, group: str) -> None:
    """Join by the QR code's link (most phones in a room do), without waiting for the page."""
    phone.goto(f"{server.url}/j/{code}")
    phone.get_by_label(group, exact=True).check()
    phone.get_by_label("I have read this and I want to take part").check()
    phone.get_by_role("button", name="Join the workshop").click()


def add_idea(phone, kind: str, role: str, text: str) -> None:
    """Add an idea from the phone's form (the phone keeps it until the server has it)."""
    phone.get_by_label(kind, exact=True).check()
    phone.get_by_label("Which role is it for?").select_option(label=role)
    phone.get_by_label("Your idea").fill(text)
    phone.get_by_role("button", name="Add my idea").click()


def expect_mine(phone, text: str) -> None:
    """The phone lists the idea as its own, no longer "Sending…": the server has it."""
    expect(phone.locator("#cards li", has_text=text).locator(".card__note")).to_have_text("Yours")


def answer(phone, text: str, choice: str) -> None:
    """Tap agree, not sure or disagree on one idea of the phone's vote."""
    view = phone.get_by_role("group", name=f"Your view on: {text}")
    view.get_by_role("radio", name=choice, exact=True).check()


def tally_row(console, text: str):
    return console.locator(".coprod-tally tr", has=console.get_by_role("cell", name=text,
                                                                         exact=True))


def verify_audit(server) -> subprocess.CompletedProcess:
    """`flask --app coprod verify-audit` against the live server's database."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "coprod", "verify-audit"],
                          cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=120)


def test_eight_phones_and_twenty_four_ideas_through_to_the_reveal(live_server, open_context):
    facilitator = open_context().new_page()
    create_first_account(facilitator, live_server)
    code = create_workshop(facilitator)
    # Tall enough to show all 24 ideas and results on one page (paging is test_wall.py's part).
    projector = open_console_and_wall(facilitator, wall_size={"width": 1000, "height": 4000})
    workshop_id = re.search(r"/workshops/(\d+)/", facilitator.url).group(1)

    phones = [open_context(**PHONE).new_page() for _ in GROUPS]
    join_from_phone(phones[0], live_server, code, GROUPS[0])  # one types the code
    for phone, group in zip(phones[1:], GROUPS[1:], strict=True):
        scan_and_join(phone, live_server, code, group)
    for phone in phones:
        expect(phone.locator("#connection")).to_have_text("Connected")
    for group, count in (("Service user or patient", 3), ("Carer", 3), ("Staff", 2)):
        expect(projector.locator("#counts li", has_text=group)).to_contain_text(str(count))

    facilitator.get_by_role("button", name="Next: Add ideas").click()
    plans = ideas_for_phones()
    for phone in phones:
        expect(phone.get_by_role("heading", name="Add an idea")).to_be_visible()
    for turn in range(IDEAS_PER_PHONE):  # phones take turns, as ideas come to mind
        for phone, ideas in zip(phones, plans, strict=True):
            add_idea(phone, *ideas[turn])
    for phone, ideas in zip(phones, plans, strict=True):
        for _, _, text in ideas:
            expect_mine(phone, text)
    texts = [text for ideas in plans for _, _, text in ideas]
    assert len(set(texts)) == len(texts) >= 20
    expect(facilitator.locator(".coprod-console-card")).to_have_count(len(texts))
    expect(projector.locator(".wall__card")).to_have_count(len(texts))

    facilitator.get_by_role("button", name="Next: Review").click()
    facilitator.get_by_role("button", name="Next: Vote").click()
    facilitator.get_by_role("radio", name="Agree, not sure or disagree").check()
    facilitator.get_by_role("button", name="Open the vote").click()
    expect(projector.get_by_role("heading", name="Vote on your phone now")).to_be_visible()

    # Everyone answers three ideas; each phone also agrees with two ideas of its own choosing.
    agreed, divisive, unsure = texts[0], texts[1], texts[2]
    for number, (group, phone) in enumerate(zip(GROUPS, phones, strict=True)):
        expect(phone.get_by_role("heading", name="Your votes")).to_be_visible()
        answer(phone, agreed, "Agree")
        answer(phone, divisive, "Disagree" if group == "Staff" else "Agree")
        answer(phone, unsure, "Not sure")
        for text in texts[3 + 2 * number:5 + 2 * number]:
            answer(phone, text, "Agree")
    for group, count in (("Service user or patient", 3), ("Carer", 3), ("Staff", 2)):
        expect(projector.locator("#progress")).to_contain_text(f"{group}: {count}")
    # The console's tally shows every answer counted before the vote closes.
    expect(tally_row(facilitator, agreed)).to_contain_text("100% (3/3)100% (3/3)100% (2/2)")
    expect(tally_row(facilitator, divisive)).to_contain_text("100% (3/3)100% (3/3)0% (0/2)")
    expect(tally_row(facilitator, unsure)).to_contain_text("0% (0/3)0% (0/3)0% (0/2)")
    expect(projector.locator("#results")).to_be_hidden()  # hidden until revealed

    facilitator.get_by_role("button", name="Close the vote").click()
    facilitator.get_by_role("button", name="Show the results").click()

    results = projector.locator("#results")
    expect(results).to_be_visible()
    expect(results.locator(".wall__result")).to_have_count(len(texts))
    top = results.locator(".wall__result", has_text=agreed)
    expect(top.locator(".wall__status")).to_have_text("Agreed by every group")
    for group, count in (("Service user or patient", 3), ("Carer", 3), ("Staff", 2)):
        expect(top.locator(f'.wall__group[data-group="{group}"]')).to_have_text(
            f"{count} of {count}")
    split = results.locator(".wall__result", has_text=divisive)
    expect(split.locator(".wall__status")).to_have_text("Groups differ")
    expect(split.locator('.wall__group[data-group="Staff"]')).to_have_text("0 of 2")
    expect(results.locator(".wall__result", has_text=unsure).locator(".wall__status")
           ).to_have_text("Not decided")
    carer = phones[3]
    expect(carer.get_by_role("heading", name="What the room thinks")).to_be_visible()
    expect(carer.locator("#results-list li")).to_have_count(len(texts))
    mine = carer.locator("#results-list li", has_text=divisive)
    expect(mine).to_contain_text("Groups differ")
    expect(mine).to_contain_text("Carer 100%")
    expect(mine).to_contain_text("Staff 0%")

    checked = verify_audit(live_server)  # every chain: the accounts' and the workshop's
    assert checked.returncode == 0, checked.stdout + checked.stderr
    lines = checked.stdout.strip().splitlines()
    assert any(line.startswith(f"workshop:{workshop_id}: ") for line in lines), lines
    assert all("all verified" in line for line in lines), lines
