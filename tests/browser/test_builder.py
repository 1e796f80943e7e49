"""In Chromium: the outline builder with a seed-sized room (60 ideas, three roles and "Any role"),
one role at a time: the chosen role's ideas first, what sign-off needs said before anyone tries,
details nobody chose shown as not decided, sign-off a few key presses from the top, and no
sideways scroll on a narrow screen."""

import pytest
from playwright.sync_api import expect

from coprod.domain.labels import ANY_ROLE, CONSENSUS_LABELS, NOT_DECIDED, NOT_VOTED
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import cards

from ..conftest import app_on
from ..factories import PASSWORD, set_phase
from ..support.live_server import LiveServer
from ..support.rooms import build_room
from .conftest import axe_violations
from .test_outline_flow import sign_in

pytestmark = pytest.mark.browser

# The order the builder promises: what the room agreed first, what it never voted on last.
STATUS_ORDER = [CONSENSUS_LABELS[status] for status in CONSENSUS_LABELS] + [NOT_VOTED]
NOT_VOTED_IDEA = "Writes a short note after every phone call"
NEEDS_INTRO = "Before you can sign off:"


@pytest.fixture(scope="module")
def built(databases, tmp_path_factory):
    """A live server on a room that voted on 60 ideas and moved on to building outlines; the
    facilitator adds one more Navigator idea after the vote, so one idea was never voted on."""
    url = databases.fresh()
    with app_on(url):
        # 60 ideas over three roles and "Any role", as a full room makes; four people a group
        # are enough for every status, and keep the build quick.
        room = build_room(ideas=60, people_per_group=4, outlines=False)
        navigator = room.role_ids[0]
        cards.add_card(room.actor, room.workshop_id, "responsibility", NOT_VOTED_IDEA, navigator)
        set_phase(room.owner, room.workshop_id, "results", "build")
        workshop = db.session.get(Workshop, room.workshop_id)
        facts = {
            "workshop_id": room.workshop_id, "email": room.owner.email,
            "roles": {role.id: role.title for role in workshop.roles},
            "ideas": _visible_ideas(room, navigator),
        }
    server = LiveServer(url, log_path=tmp_path_factory.mktemp("builder") / "server.log").start()
    yield server, facts
    server.stop()


def _visible_ideas(room, navigator: int) -> dict[str, dict]:
    """Each idea on the screen by its text: its role id and its status in words."""
    merged = room.kept_merge.source_id if room.kept_merge else None
    ideas = {idea.text: {"role_id": idea.role_id, "kind": idea.kind,
                         "status": CONSENSUS_LABELS[_status(room.expected[idea.id])]}
             for idea in room.ideas.values() if idea.id != merged}
    ideas[NOT_VOTED_IDEA] = {"role_id": navigator, "kind": "responsibility", "status": NOT_VOTED}
    return ideas


def _status(value: str):
    return next(status for status in CONSENSUS_LABELS if status.value == value)


@pytest.fixture
def builder(built, open_context):
    """The builder page, signed in as the facilitator, with its first role (Navigator) open."""
    server, facts = built

    def open_builder(**options):
        page = open_context(**options).new_page()
        sign_in(page, server, facts["email"], PASSWORD)
        page.goto(f"{server.url}/workshops/{facts['workshop_id']}/outlines/build")
        expect(page.get_by_role("heading", name="Navigator outline")).to_be_visible()
        return page
    return open_builder


def listed(page, list_id: str) -> list[dict]:
    """The ideas a list shows, in order: role, status and wording as the page writes them."""
    return page.locator(f"#{list_id} > li.coprod-idea").evaluate_all("""items => items.map(item => ({
        role: item.querySelector('.coprod-idea__role').textContent,
        status: item.querySelector('.coprod-idea__status').textContent,
        text: item.querySelector('.coprod-idea__text').textContent}))""")


def idea_item(page, list_id: str, text: str):
    """One idea of a list, by its exact wording (a later "(2)" idea repeats an earlier one's)."""
    return page.locator(f"#{list_id} > li.coprod-idea").filter(
        has=page.locator(".coprod-idea__text").get_by_text(text, exact=True))


def rank(status: str) -> int:
    return STATUS_ORDER.index(status)


def test_one_role_at_a_time_with_the_others_behind_one_control(built, builder):
    _, facts = built
    ideas, roles = facts["ideas"], facts["roles"]
    navigator = next(role_id for role_id, title in roles.items() if title == "Navigator")
    page = builder(viewport={"width": 1440, "height": 900})
    expect(page.get_by_role("heading", name="Ideas for Navigator")).to_be_visible()
    expect(page.locator("#ideas > li.coprod-idea").first).to_be_visible()

    shown = listed(page, "ideas")
    mine = {text for text, idea in ideas.items() if idea["role_id"] in (navigator, None)}
    assert {idea["text"] for idea in shown} == mine
    for idea in shown:  # each labelled with its own role and the status the vote gave it
        expected = ideas[idea["text"]]
        assert idea["role"] == ("Navigator" if expected["role_id"] else ANY_ROLE)
        assert idea["status"] == expected["status"]
    statuses = [idea["status"] for idea in shown]
    assert statuses == sorted(statuses, key=rank) and statuses[-1] == NOT_VOTED
    assert set(statuses) == set(STATUS_ORDER)
    expect(page.locator("#ideas-hint")).to_contain_text("Ideas agreed by every group come first")

    others = len(ideas) - len(mine)
    toggle = page.get_by_role("button", name=f"Show ideas for other roles ({others})")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#other-ideas")).to_be_hidden()
    assert axe_violations(page) == []

    toggle.click()
    toggle = page.get_by_role("button", name=f"Hide ideas for other roles ({others})")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_be_focused()  # the redraw keeps focus where it was
    other = listed(page, "other-ideas")
    assert len(other) == others
    assert {idea["role"] for idea in other} == {"Healthcare Assistant",
                                                "Nurse in Community Mental Health Centre"}
    for idea in other:
        assert roles[ideas[idea["text"]]["role_id"]] == idea["role"]

    # Adding an idea marks it as in this outline, and the page keeps the focus on its button.
    first = shown[0]["text"]
    add = page.locator("#ideas > li.coprod-idea").first.get_by_role("button", name="Add")
    add.focus()
    page.keyboard.press("Enter")
    idea = idea_item(page, "ideas", first)
    expect(idea.locator(".coprod-idea__used")).to_have_text("In this outline: key responsibilities")
    expect(idea.get_by_role("button", name="Add")).to_be_focused()
    assert axe_violations(page) == []


def test_sign_off_says_what_it_needs_before_anyone_tries(built, builder):
    _, facts = built
    page = builder(viewport={"width": 1440, "height": 900})
    page.get_by_role("button", name="Healthcare Assistant").click()
    expect(page.get_by_role("heading", name="Healthcare Assistant outline")).to_be_visible()
    needs = page.locator("#sign-off-needs")
    expect(needs).to_contain_text(NEEDS_INTRO)
    expect(needs.get_by_role("listitem")).to_have_text(["Add at least one responsibility."])
    sign = page.locator("#sign-button")
    expect(sign).to_have_attribute("aria-disabled", "true")
    expect(sign).to_have_accessible_description(f"{NEEDS_INTRO} Add at least one responsibility.")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    sign.focus()  # still focusable, explains itself, and never asks to confirm what would fail
    page.keyboard.press("Enter")
    expect(page.locator("#builder-feedback")).to_have_text(
        f"{NEEDS_INTRO} Add at least one responsibility.")
    expect(page.locator("#version-banner")).to_contain_text("draft")
    assert dialogs == [] and axe_violations(page) == []

    hca = {text for text, idea in facts["ideas"].items()
           if facts["roles"].get(idea["role_id"]) == "Healthcare Assistant"}
    ideas = listed(page, "ideas")
    responsibility = next(i["text"] for i in ideas if i["text"] in hca
                          and facts["ideas"][i["text"]]["kind"] == "responsibility")
    competence = next(i["text"] for i in ideas if i["text"] in hca
                      and facts["ideas"][i["text"]]["kind"] == "competence")
    for text in (responsibility, competence):
        idea_item(page, "ideas", text).get_by_role("button", name="Add").click()
        expect(page.locator("#sections")).to_contain_text(text)
    # Nobody chose the competence's details: they say so, they are not guessed.
    line = page.locator(".coprod-line", has_text=competence).locator(".coprod-line__meta")
    for detail in ("Type", "Level", "Essential or desirable", "How assessed"):
        expect(line).to_contain_text(f"{detail}: {NOT_DECIDED}")
    expect(needs).not_to_contain_text(NEEDS_INTRO)
    expect(sign).not_to_have_attribute("aria-disabled", "true")

    sign.click()
    expect(page.locator("#version-banner")).to_contain_text(": agreed")
    assert len(dialogs) == 1 and "Sign off version" in dialogs[0]
    expect(page.locator("#version-banner")).to_be_focused()
    expect(page.get_by_role("button", name="Start a new draft")).to_be_visible()
    assert axe_violations(page) == []


def test_sign_off_is_a_few_key_presses_from_the_top(builder):
    page = builder(viewport={"width": 1440, "height": 900})
    expect(page.locator("#ideas > li.coprod-idea").first).to_be_visible()
    tabs, enters = 0, 0
    while page.evaluate("document.activeElement.id") != "sign-button" and tabs < 200:
        if page.evaluate("document.activeElement.id") == "skip-to-sign-off" and not enters:
            page.keyboard.press("Enter")
            enters += 1
        else:
            page.keyboard.press("Tab")
            tabs += 1
    print(f"\nKey presses from the top to sign-off: {tabs} Tab + {enters} Enter")
    assert page.evaluate("document.activeElement.id") == "sign-button"
    assert enters == 1 and tabs <= 10


def test_no_sideways_scroll_on_a_narrow_screen(builder):
    page = builder(viewport={"width": 320, "height": 640})
    page.get_by_role("button", name="Nurse in Community Mental Health Centre").click()
    expect(page.get_by_role("heading", name="Nurse in Community Mental Health Centre outline")
           ).to_be_visible()
    page.get_by_role("button", name="Show ideas for other roles").click()
    page.get_by_label("Add a line typed in the room to competences").fill(
        "Explains medicines and their side effects in plain words")
    page.get_by_role("button", name="Add line to competences").click()
    page.get_by_role("button", name="Edit: Explains medicines and their side effects in plain words"
                     ).click()
    expect(page.get_by_label("Essential or desirable")).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
