"""Every page type in Chromium, with a real room's 60 ideas, 3 roles and 30 people: axe-core's
WCAG 2.2 A/AA rules in every phase, every form shown with its errors, no duplicate ids, the error
summary taking focus, and pages that reflow at 320 px (400 % zoom) and 640 px (200 %) without
sideways scroll (wide tables scroll inside their own labelled region, never the page)."""

from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from coprod.domain.actors import Actor
from coprod.extensions import db
from coprod.models import VoteRound, Workshop
from coprod.services import outlines, participants, voting
from coprod.services import phases as phase_service

from ..conftest import app_on
from ..factories import PASSWORD, make_user
from ..support.live_server import LiveServer
from ..support.rooms import build_room
from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

PHASES = ("lobby", "contribute", "review", "vote", "results", "build", "closed")
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 720}  # a 1280 px screen at 400 % zoom
HALF = {"width": 640, "height": 720}  # a 1280 px screen at 200 % zoom
VOTERS_PER_GROUP = 3  # people who answer the vote this sweep opens (enough for every group)
DUPLICATE_IDS = """() => {
  const seen = {};
  for (const node of document.querySelectorAll("[id]")) seen[node.id] = (seen[node.id] || 0) + 1;
  return Object.keys(seen).filter((id) => seen[id] > 1);
}"""
# What sticks out past the right edge, so a failure says what to fix.
SIDEWAYS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width + 1) return null;
  const wide = [...document.body.querySelectorAll("*")].filter((node) =>
    node.getBoundingClientRect().right > width + 1 && !node.closest("[role=region][tabindex]"));
  return {scrollWidth: document.documentElement.scrollWidth, width,
          widest: wide.slice(0, 4).map((node) => node.tagName.toLowerCase() +
            (node.id ? "#" + node.id : "") + (node.className && typeof node.className === "string"
              ? "." + node.className.trim().split(/\\s+/).join(".") : ""))};
}"""


@dataclass
class Site:
    """The room on the live server, and who can open it."""
    server: LiveServer
    database_url: str
    owner_email: str
    admin_email: str
    facilitator: Actor
    workshop_id: int
    code: str
    role_ids: list[int]
    paper_person_id: int
    answers: dict[int, dict[int, str]]  # card -> {participant: answer}, as in the room's vote
    voters: list[Actor]  # the phones that answer the vote this sweep opens
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(databases, tmp_path_factory):
    """build_room's 60 ideas, walked back to the lobby, served by the real server."""
    url = databases.fresh()
    with app_on(url):
        room = build_room(ideas=60)  # ends in Build, with both votes and three signed outlines
        admin = make_user("admin")
        workshop = db.session.get(Workshop, room.workshop_id)
        person = participants.add_on_paper(room.actor, room.workshop_id,
                                           workshop.constituencies[1].id, "Jo")
        voters = [room.phones[person.id] for people in room.people.values()
                  for person in people[:VOTERS_PER_GROUP]]
        made = Site(None, url, room.owner.email, admin.email, room.actor, room.workshop_id,
                    workshop.join_code, room.role_ids, person.id, room.answers, voters)
        for phase in reversed(PHASES[:PHASES.index("build")]):
            phase_service.set_phase(room.actor, room.workshop_id, phase)
    made.server = LiveServer(url, log_path=tmp_path_factory.mktemp("every") / "server.log").start()
    yield made
    made.server.stop()


def move_to(site: Site, target: str) -> None:
    """Walk the workshop one phase at a time to `target`, as a facilitator would: a vote is
    opened on arriving in Vote and answered by a few phones, closed and revealed on leaving it,
    and the first role's outline is put on the wall in Build."""
    with app_on(site.database_url):
        current = PHASES.index(db.session.get(Workshop, site.workshop_id).phase)
        goal = PHASES.index(target)
        step = 1 if goal >= current else -1
        for index in range(current + step, goal + step, step):
            _leave(site, PHASES[index - step], PHASES[index])
            phase_service.set_phase(site.facilitator, site.workshop_id, PHASES[index])
            _arrive(site, PHASES[index])


def _leave(site: Site, phase: str, going_to: str) -> None:
    open_round = voting.open_round_of(site.workshop_id)
    if phase == "vote" and open_round:
        voting.close_round(site.facilitator, site.workshop_id, open_round.id)
        if going_to == "results":
            voting.reveal(site.facilitator, site.workshop_id, open_round.id)


def _arrive(site: Site, phase: str) -> None:
    if phase == "vote":
        round_id = voting.open_round(site.facilitator, site.workshop_id, "agree")["round"]["id"]
        in_round = {item.card_id for item in db.session.get(VoteRound, round_id).cards}
        for phone in site.voters:  # each answers as they did in the room's own vote
            ballot = {card: answers[phone.participant_id]
                      for card, answers in site.answers.items() if card in in_round}
            voting.cast_ballot(phone, site.workshop_id, round_id, ballot)
    elif phase == "build":
        outlines.show_on_projector(site.facilitator, site.workshop_id, site.role_ids[0])



def sign_in(page, site: Site, email: str) -> None:
    page.goto(site.server.url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your workshops")).to_be_visible()


def live_pages(site: Site) -> dict[str, str]:
    """Page type -> its address, for the pages checked in every phase."""
    base = f"{site.server.url}/workshops/{site.workshop_id}"
    role = site.role_ids[0]
    return {"wall": f"{base}/projector", "console": f"{base}/console",
            "builder": f"{base}/outlines/build", "outline": f"{base}/outlines/{role}",
            "compare": f"{base}/outlines/{role}/compare", "matrix": f"{base}/outlines/matrix"}


def open_page(page, url: str, viewport=DESKTOP) -> None:
    """Load a page at this size; a live page once its first state has arrived."""
    page.set_viewport_size(viewport)
    page.goto(url)
    if page.locator("#connection").count():
        expect(page.locator("#connection")).to_have_attribute("data-status", "live")
        page.wait_for_timeout(300)  # the first state is drawn just after it arrives


def check(site: Site, page, name: str, when: str, reflow=(NARROW,)) -> None:
    """Record every accessibility, id and reflow problem of the page as it is now."""
    found = axe_violations(page)
    if found:
        site.problems.append(f"{name} ({when}): axe {found}")
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        site.problems.append(f"{name} ({when}): duplicate ids {duplicates}")
    for viewport in reflow:
        page.set_viewport_size(viewport)
        page.wait_for_timeout(100)
        sideways = page.evaluate(SIDEWAYS)
        if sideways:
            site.problems.append(f"{name} ({when}) at {viewport['width']} px: sideways scroll "
                                 f"{sideways}")
    page.set_viewport_size(DESKTOP)


def join_from_phone(site: Site, phone) -> None:
    """Join as a carer: the consent page, first sent empty to see its errors."""
    phone.goto(f"{site.server.url}/j/{site.code}")
    check(site, phone, "consent", "first visit")
    phone.get_by_role("button", name="Join the workshop").click()
    check(site, phone, "consent", "sent empty")
    phone.get_by_label("Carer").check()
    phone.get_by_label("I have read this and I want to take part").check()
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.locator("#connection")).to_have_attribute("data-status", "live")


def test_every_live_page_in_every_phase(site, open_context):
    """Wall, console, phone, builder, outline, compare and matrix in each phase, in order, and
    the audit trail: no axe violation, no duplicate id, no sideways scroll at 320 px (the
    outline page at 640 px too)."""
    move_to(site, "lobby")
    site.problems.clear()
    desk = open_context(viewport=DESKTOP)
    owner = desk.new_page()
    sign_in(owner, site, site.owner_email)
    pages = {name: desk.new_page() for name in live_pages(site)}
    phone = open_context(**PHONE).new_page()
    join_from_phone(site, phone)
    for phase in PHASES:
        move_to(site, phase)
        for name, url in live_pages(site).items():
            open_page(pages[name], url)
            check(site, pages[name], name, phase,
                  reflow=(NARROW, HALF) if name == "outline" else (NARROW,))
        open_page(phone, f"{site.server.url}/p/{site.code}", PHONE["viewport"])
        check(site, phone, "phone", phase)
    # The audit trail looks the same in every phase, only longer: checked once, at its longest
    # (axe takes 17 s over its 2,500 rows).
    open_page(owner, f"{site.server.url}/workshops/{site.workshop_id}/audit")
    check(site, owner, "audit trail", "closed")
    assert site.problems == [], "\n".join(site.problems)


def test_every_other_page_and_every_form_with_its_errors(site, open_context):
    """The pages seen once: lists, sign-in, password, accounts, new workshop, set-up, paper,
    vote too, join code; each form sent empty shows its errors, focused, without a violation."""
    move_to(site, "vote")  # the paper page then shows a ballot
    site.problems.clear()
    base = site.server.url
    workshop = f"{base}/workshops/{site.workshop_id}"
    visitor = open_context(viewport=DESKTOP).new_page()
    for name, url in (("home", base + "/"), ("sign-in", base + "/login"),
                      ("join code", base + "/join"), ("before you start", f"{base}/before/{site.code}")):
        open_page(visitor, url)
        check(site, visitor, name, "first visit")
    for name, url, button in (("sign-in", base + "/login", "Sign in"),
                              ("join code", base + "/join", "Continue")):
        open_page(visitor, url)
        send_empty(site, visitor, name, button, focus=name != "join code")

    owner = open_context(viewport=DESKTOP).new_page()
    sign_in(owner, site, site.owner_email)
    paper = f"{workshop}/paper?person={site.paper_person_id}"
    with app_on(site.database_url):
        project = f"{base}/projects/{db.session.get(Workshop, site.workshop_id).project_id}"
    for name, url in (("project", project), ("new project", base + "/projects/new"),
                      ("evidence pack", project + "/evidence"),
                      ("next session", project + "/sessions/new"),
                      ("return codes", f"{workshop}/return-codes"),
                      ("workshop list", base + "/"), ("outline list", f"{workshop}/outlines/"),
                      ("new workshop", base + "/workshops/new"), ("workshop set-up", workshop),
                      ("people on paper", paper), ("vote too", f"{workshop}/vote-too"),
                      ("password", base + "/account/password")):
        open_page(owner, url)
        check(site, owner, name, "first visit")
    open_page(owner, base + "/workshops/new")
    owner.get_by_label("Workshop title").fill("")
    send_empty(site, owner, "new workshop", "Create workshop")
    for button in ("Save details", "Add role", "Share"):
        open_page(owner, workshop)
        owner.locator("form", has=owner.get_by_role("button", name=button, exact=True)) \
            .locator("input[type=text], input[type=email]").first.fill("")
        send_empty(site, owner, f"workshop set-up ({button})", button)
    for name, url, button in (("people on paper", paper, "Add this person"),
                              ("people on paper, their idea", paper, "Add their idea"),
                              ("vote too", f"{workshop}/vote-too", "Take part in the vote"),
                              ("password", base + "/account/password", "Change password")):
        open_page(owner, url)
        send_empty(site, owner, name, button)

    admin = open_context(viewport=DESKTOP).new_page()
    sign_in(admin, site, site.admin_email)
    open_page(admin, base + "/admin/accounts")
    check(site, admin, "accounts", "first visit")
    send_empty(site, admin, "accounts", "Create account")
    assert site.problems == [], "\n".join(site.problems)


def send_empty(site: Site, page, name: str, button: str, focus: bool = True) -> None:
    """Send the form as it is, then check the page with its errors (and that the error summary
    has focus, so a screen reader starts there)."""
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary, .error-summary, [role=alert]").first
    expect(summary).to_be_visible()
    if focus and not page.evaluate("() => !!document.activeElement.closest('.nhsuk-error-summary')"):
        site.problems.append(f"{name} (with errors): the error summary does not have focus")
    check(site, page, name, "with errors")


def test_the_error_summary_takes_focus_and_its_links_reach_the_field(site, open_context):
    """After a failed sign-in the summary has focus, and its link puts focus in the field."""
    page = open_context(viewport=DESKTOP).new_page()
    page.goto(site.server.url + "/login")
    page.get_by_label("Email address").fill("")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="Please enter your email address.")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email address")).to_be_focused()


def test_the_first_account_page_with_and_without_errors(databases, open_context, tmp_path):
    """The set-up link's page on a server's first start (it only exists while nobody has an
    account, so it has its own empty server)."""
    server = LiveServer(databases.fresh(), log_path=tmp_path / "server.log").start()
    try:
        page = open_context(viewport=DESKTOP).new_page()
        page.goto(server.setup_link())
        first = axe_violations(page)
        page.get_by_role("button", name="Create account").click()
        expect(page.locator(".nhsuk-error-summary")).to_be_focused()
        assert (first, axe_violations(page), page.evaluate(DUPLICATE_IDS)) == ([], [], [])
        page.set_viewport_size(NARROW)
        assert page.evaluate(SIDEWAYS) is None
    finally:
        server.stop()
