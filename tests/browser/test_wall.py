"""The wall fits the wall: a real-sized room (60 ideas over three roles and "Any role", 60
results, 30 people in three groups) on a 1920x1080 and a 1280x720 projector, in every phase.

Nothing scrolls and nothing lies outside the screen; idea text is at least 2.5 % of the screen's
height; what does not fit is paged ("Page 2 of 4"), each idea on exactly one page; results put
the ideas where groups differ first under a one-line summary; Build shows the outline alone,
also after a reload; the lobby shows every group's count; axe finds nothing in any phase.
The console turns the pages (`wall:page`) so the walk through them is quick.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coprod.extensions import db
from coprod.services import outlines

from ..conftest import app_on
from ..factories import PASSWORD
from ..support.clients import live_socket, sign_in
from ..support.live_server import LiveServer
from ..support.rooms import GROUPS, build_room
from .conftest import axe_violations

pytestmark = pytest.mark.browser
# Set to a folder to keep a screenshot of every phase at both sizes (for a closing note).
SHOTS = os.environ.get("COPROD_WALL_SHOTS")

SIZES = ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720})
STATUS_ORDER = ("divisive", "agreed", "open")  # where groups differ first, as the room discusses
SMALLEST_TEXT = 0.025  # of the screen's height
# Everything on the screen inside it, and no box that clips what it holds (a clipped idea is a
# lost idea): the boxes the wall pages into must each hold what they show.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight)
    problems.push(`document ${root.scrollWidth}x${root.scrollHeight}`);
  for (const node of document.body.querySelectorAll("*")) {
    const box = node.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const name = node.id || node.className || node.tagName;
    if (box.left < -0.5 || box.top < -0.5 || box.right > innerWidth + 0.5 || box.bottom > innerHeight + 0.5)
      problems.push(`${name} outside the screen`);
    if (getComputedStyle(node).overflowY === "hidden" && node.scrollHeight > node.clientHeight + 1)
      problems.push(`${name} clips what it holds`);
  }
  return problems;
}"""
SMALLEST_IDEA_TEXT = """(selector) => Math.min(...[...document.querySelectorAll(selector)]
  .filter((node) => node.getClientRects().length)
  .map((node) => parseFloat(getComputedStyle(node).fontSize)))"""


@dataclass
class BigRoom:
    server: LiveServer
    workshop_id: int
    email: str
    navigator: int  # the first role's id
    ideas: list[str]  # every idea on the screen
    statuses: dict[str, str]  # idea text -> its status in the revealed agree vote
    outline: list[str]  # the Navigator's signed-off outline, every line


@pytest.fixture(scope="module")
def big_room(databases, tmp_path_factory):
    """build_room's workshop with 61 ideas (one merged away: 60 on the screen, 60 results),
    left in the Build phase with three signed-off outlines, served by the real server."""
    url = databases.fresh()
    with app_on(url):
        room = build_room(ideas=61, people_per_group=10)
        merged = room.kept_merge.source_id
        ideas = [room.ideas[card].text for card in room.card_ids if card != merged]
        statuses = {room.ideas[card].text: status for card, status in room.expected.items()}
        made = (room.workshop_id, room.owner.email, room.role_ids[0], ideas, statuses,
                _outline_lines(room.role_ids[0]))
        db.session.remove()
    server = LiveServer(url, log_path=tmp_path_factory.mktemp("wall") / "server.log").start()
    yield BigRoom(server, *made)
    server.stop()


def _outline_lines(role_id: int) -> list[str]:
    """Every line of the role's newest outline, in section order."""
    version = outlines.latest_version(role_id)
    content = outlines.content_of(version)
    return [line["text"] for section in ("responsibilities", "competences", "person_spec", "values")
            for line in content[section]]


@pytest.fixture(scope="module")
def console(big_room):
    """The facilitator's console connection: it moves the phases and turns the wall's pages."""
    session = sign_in(big_room.server.url, big_room.email, PASSWORD)
    client = live_socket(big_room.server.url, session, big_room.workshop_id, "console")
    client.session = session
    yield client
    client.disconnect()


def ask(console, event: str, payload: dict) -> dict:
    ack = console.call(event, payload, timeout=30)
    assert ack["ok"], ack
    return ack


@pytest.fixture(scope="module")
def walls(browser, big_room, console):
    """The projector page at both sizes, signed in as the facilitator."""
    contexts, pages = [], []
    for size in SIZES:
        # Reduced motion: a page caught mid-fade by axe would read as low contrast.
        context = browser.new_context(viewport=size, reduced_motion="reduce")
        context.set_default_timeout(15_000)
        context.add_cookies([{"name": name, "value": value, "url": big_room.server.url}
                             for name, value in console.session.cookies.items()])
        page = context.new_page()
        page.goto(f"{big_room.server.url}/workshops/{big_room.workshop_id}/projector")
        expect(page.locator("#connection")).to_have_text("Live")
        contexts.append(context)
        pages.append(page)
    yield pages
    for context in contexts:
        context.close()


def size_of(wall) -> str:
    return f"{wall.viewport_size['width']}x{wall.viewport_size['height']}"


def expect_layout(walls, layout: str) -> None:
    for wall in walls:
        expect(wall.locator("#projector")).to_have_attribute("data-layout", layout)


def check_fits(walls, phase: str) -> None:
    """No scrolling, nothing outside the screen or clipped, axe clean, every group counted."""
    for wall in walls:
        wall.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
        if SHOTS:
            wall.screenshot(path=Path(SHOTS) / f"{phase.replace(' ', '-')}-{size_of(wall)}.png")
        assert wall.evaluate(LAYOUT_PROBLEMS) == [], (phase, size_of(wall))
        for group in GROUPS:
            expect(wall.locator("#counts li", has_text=group)).to_be_visible()
        assert axe_violations(wall) == [], (phase, size_of(wall))


def check_text_size(wall, selector: str) -> None:
    smallest = wall.evaluate(SMALLEST_IDEA_TEXT, selector)
    assert smallest >= SMALLEST_TEXT * wall.viewport_size["height"], (selector, size_of(wall))


def page_count(wall) -> tuple[int, int]:
    """(page shown, pages), from the "Page 2 of 4" line (hidden when all fits on one)."""
    line = wall.locator("#page-number")
    if not line.is_visible():
        return 1, 1
    shown, pages = re.search(r"Page (\d+) of (\d+)", line.inner_text()).groups()
    return int(shown), int(pages)


def walk_pages(console, walls, read) -> dict:
    """Hold the wall, read each page of each projector by turning them from the console, and
    let them turn on their own again. Returns {wall: [what `read` gave on page 1, 2, ...]}."""
    ask(console, "wall:page", {"action": "hold"})
    for wall in walls:
        if page_count(wall)[1] > 1:
            expect(wall.locator("#page-number")).to_contain_text("Held")
    start = {wall: page_count(wall) for wall in walls}
    seen = {wall: {start[wall][0]: read(wall)} for wall in walls}
    for step in range(1, max(pages for _, pages in start.values())):
        ask(console, "wall:page", {"action": "next"})
        for wall in walls:
            first, pages = start[wall]
            number = (first - 1 + step) % pages + 1
            if pages > 1:
                expect(wall.locator("#page-number")).to_contain_text(f"Page {number} of {pages}")
            seen[wall].setdefault(number, read(wall))
    ask(console, "wall:page", {"action": "play"})
    for wall in walls:
        assert sorted(seen[wall]) == list(range(1, start[wall][1] + 1)), size_of(wall)
    return {wall: [seen[wall][number] for number in sorted(seen[wall])] for wall in walls}


def result_rows(wall) -> list[tuple[str, str]]:
    rows = wall.locator("#results-list .wall__result")
    return list(zip(rows.locator(".wall__status").all_inner_texts(),
                    rows.locator(".wall__result-text").all_inner_texts(), strict=True))


def check_results(console, walls, big_room, report: dict) -> None:
    counts = {status: list(big_room.statuses.values()).count(status) for status in STATUS_ORDER}
    summary = (f"{counts['agreed']} agreed by every group · {counts['divisive']} where groups differ · "
               f"{counts['open']} not decided")
    for wall in walls:
        expect(wall.locator("#results-summary")).to_have_text(summary)
        expect(wall.locator("#outline")).to_be_hidden()
        check_text_size(wall, ".wall__result-text")
    labels = {"groups differ": "divisive", "agreed by every group": "agreed", "not decided": "open"}
    for wall, pages in walk_pages(console, walls, result_rows).items():
        rows = [row for page in pages for row in page]
        assert sorted(text for _, text in rows) == sorted(big_room.statuses), size_of(wall)
        shown = [labels[status.lower()] for status, _ in rows]
        assert shown == sorted(shown, key=STATUS_ORDER.index), size_of(wall)  # divisive first
        assert all(big_room.statuses[text] == labels[status.lower()] for status, text in rows)
        report[f"results {size_of(wall)}"] = [len(page) for page in pages]


def test_the_wall_fits_the_wall_in_every_phase(big_room, console, walls):
    report = {}
    assert len(big_room.ideas) == len(big_room.statuses) == 60

    # Build, before an outline is shown: the revealed results, for the room to build from.
    expect_layout(walls, "results")
    check_fits(walls, "build")
    check_results(console, walls, big_room, report)

    # Build with the Navigator's outline on the projector: the outline alone, full screen.
    ask(console, "outline:show", {"role_id": big_room.navigator})
    expect_layout(walls, "outline")
    for reloaded in (False, True):
        for wall in walls:
            if reloaded:
                wall.reload()
                expect(wall.locator("#connection")).to_have_text("Live")
            expect(wall.get_by_role("heading", name="Navigator: role outline")).to_be_visible()
            expect(wall.locator("#results")).to_be_hidden()
            expect(wall.locator("#ideas")).to_be_hidden()
            assert wall.locator("#outline").bounding_box()["height"] > 0.7 * wall.viewport_size["height"]
            check_text_size(wall, ".wall__outline-item")
        check_fits(walls, "build with the outline" + (" after a reload" if reloaded else ""))
    for wall, pages in walk_pages(console, walls, lambda wall: wall.locator(
            ".wall__outline-item").all_inner_texts()).items():
        assert [line for page in pages for line in page] == big_room.outline, size_of(wall)

    ask(console, "phase:set", {"phase": "closed"})
    expect_layout(walls, "closed")
    check_fits(walls, "closed")

    ask(console, "phase:set", {"phase": "build"})
    ask(console, "phase:set", {"phase": "results"})
    expect_layout(walls, "results")
    check_fits(walls, "results")

    ask(console, "phase:set", {"phase": "vote"})
    ask(console, "round:open", {"mode": "agree"})
    expect_layout(walls, "voting")
    for wall in walls:
        expect(wall.get_by_role("heading", name="Vote on your phone now")).to_be_visible()
    check_fits(walls, "vote with a round open")
    round_id = ask(console, "sync", {})["state"]["round"]["id"]
    ask(console, "round:close", {"round_id": round_id})
    for wall in walls:
        expect(wall.locator("#voting-title")).to_contain_text("Voting has closed")
    check_fits(walls, "vote, closed, not yet revealed")

    ask(console, "phase:set", {"phase": "review"})
    expect_layout(walls, "ideas")
    for wall in walls:
        for column in ("Navigator", "Healthcare Assistant", "Nurse in Community Mental Health Centre",
                       "Any role"):
            expect(wall.get_by_role("heading", name=re.compile(f"^{column}"))).to_be_visible()
        check_text_size(wall, ".wall__card")
    check_fits(walls, "review")
    for wall, pages in walk_pages(console, walls, lambda wall: wall.locator(
            "#roles .wall__card").all_inner_texts()).items():
        shown = [text for page in pages for text in page]
        # Each idea on exactly one page.
        assert sorted(shown) == sorted(big_room.ideas), (size_of(wall), [len(p) for p in pages])
        report[f"ideas {size_of(wall)}"] = [len(page) for page in pages]

    ask(console, "phase:set", {"phase": "contribute"})
    expect_layout(walls, "ideas")
    check_fits(walls, "contribute")

    ask(console, "phase:set", {"phase": "lobby"})
    expect_layout(walls, "lobby")
    for wall in walls:
        for group in GROUPS:
            expect(wall.locator("#counts li", has_text=group)).to_contain_text("10")
        expect(wall.get_by_role("img", name="QR code to join this workshop")).to_be_visible()
    check_fits(walls, "lobby")
    print("\nideas or results per page:", report)
