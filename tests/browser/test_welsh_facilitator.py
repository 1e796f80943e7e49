"""The facilitator runs the live room in Welsh: the console and the projector are in Welsh
(`lang="cy"`, axe finds nothing), an idea gets its wording in the other language from the
console, and the bilingual wall shows every heading and idea in Welsh and English and still
fits a 1920x1080 and a 1280x720 projector with a real-sized room (60 ideas, each translated).
"""

import pytest
from playwright.sync_api import expect

from coprod.extensions import db
from coprod.models import Card
from coprod.services import cards, workshops

from ..conftest import app_on
from ..factories import PASSWORD
from ..support.clients import live_socket, sign_in
from ..support.live_server import LiveServer
from ..support.rooms import build_room
from .conftest import axe_violations
from .test_wall import SIZES, ask, check_fits, check_text_size, expect_layout, size_of, walk_pages

pytestmark = pytest.mark.browser


def welsh_wording(text: str) -> str:
    """A stand-in for a Welsh translation, about as long as a real one."""
    return f"Yn Gymraeg: {text}"


@pytest.fixture(scope="module")
def welsh_room(databases, tmp_path_factory):
    """build_room's workshop (60 ideas on the screen, results revealed, in Build), every idea
    with a Welsh wording added by the facilitator, and the bilingual wall switched on."""
    url = databases.fresh()
    with app_on(url):
        room = build_room(ideas=61, people_per_group=10)
        merged = room.kept_merge.source_id
        shown = [card for card in room.card_ids if card != merged]
        for card_id in shown:
            cards.translate_card(room.actor, room.workshop_id, card_id,
                                 welsh_wording(room.ideas[card_id].text))
        workshops.set_bilingual_wall(room.actor, room.workshop_id, True)
        made = {"workshop_id": room.workshop_id, "email": room.owner.email, "navigator": room.role_ids[0],
                "ideas": [room.ideas[card].text for card in shown]}
        db.session.remove()
    server = LiveServer(url, log_path=tmp_path_factory.mktemp("welsh") / "server.log").start()
    yield {**made, "server": server}
    server.stop()


@pytest.fixture(scope="module")
def console(welsh_room):
    session = sign_in(welsh_room["server"].url, welsh_room["email"], PASSWORD)
    client = live_socket(welsh_room["server"].url, session, welsh_room["workshop_id"], "console")
    client.session = session
    yield client
    client.disconnect()


def signed_in_page(browser, welsh_room, console, path: str, **options):
    context = browser.new_context(reduced_motion="reduce", **options)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": name, "value": value, "url": welsh_room["server"].url}
                         for name, value in console.session.cookies.items()])
    page = context.new_page()
    page.goto(f"{welsh_room['server'].url}/workshops/{welsh_room['workshop_id']}/{path}?lang=cy")
    return context, page


def test_the_facilitator_runs_the_console_in_welsh(browser, welsh_room, console):
    context, page = signed_in_page(browser, welsh_room, console, "console",
                                   viewport={"width": 1280, "height": 900})
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("#connection")).to_have_text("Wedi cysylltu")
    expect(page.locator("#phase-label")).to_have_text("Llunio amlinelliadau rôl")
    expect(page.get_by_role("button", name="Yn ôl: Canlyniadau")).to_be_visible()
    assert axe_violations(page) == []

    idea = welsh_room["ideas"][-1]  # the newest idea is the console's first row
    row = page.locator(".coprod-console-card").first
    expect(row.locator(".coprod-console-card__text")).to_have_text(idea)
    expect(row.locator(".coprod-console-card__text")).to_have_attribute("lang", "en-GB")
    expect(row.locator(".coprod-console-card__translation")).to_have_attribute("lang", "cy")
    row.get_by_role("button", name=f"Camau gweithredu ar gyfer: {idea}").click()
    row.get_by_role("button", name="Geiriad Cymraeg").click()
    field = page.get_by_label("Geiriad Cymraeg")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("lang", "cy")
    expect(field).to_have_value(welsh_wording(idea))
    assert axe_violations(page) == []
    field.fill("Yn helpu pobl i ddod o hyd i gymorth lleol")
    page.get_by_role("button", name="Cadw'r geiriad hwn").click()

    expect(row.locator(".coprod-console-card__translation")).to_have_text(
        "Yn helpu pobl i ddod o hyd i gymorth lleol")
    expect(page.get_by_role("button", name=f"Camau gweithredu ar gyfer: {idea}")).to_be_focused()
    with app_on(welsh_room["server"].database_url):
        card = db.session.scalars(db.select(Card).where(Card.text == idea)).one()
        assert (card.language, card.translation) == ("en", "Yn helpu pobl i ddod o hyd i gymorth lleol")
        db.session.remove()
    context.close()


def welsh_wordings(welsh_room) -> dict[str, str]:
    """Each idea's Welsh wording as stored now (the console test rewords one)."""
    with app_on(welsh_room["server"].database_url):
        wordings = dict(db.session.execute(db.select(Card.text, Card.translation).where(
            Card.workshop_id == welsh_room["workshop_id"], Card.translation.is_not(None))).all())
        db.session.remove()
    return wordings


def both_languages(node, welsh: str, english: str) -> None:
    """Welsh first, then English, each in its own element with its lang attribute."""
    expect(node.locator('[lang="cy"]').first).to_have_text(welsh)
    expect(node.locator('[lang="en-GB"]').first).to_have_text(english)
    text = node.text_content()
    assert text.index(welsh) < text.index(english), text


def test_the_bilingual_wall_shows_both_languages_and_fits_the_screen(browser, welsh_room, console):
    contexts, walls = [], []
    for size in SIZES:
        context, wall = signed_in_page(browser, welsh_room, console, "projector", viewport=size)
        expect(wall.locator("html")).to_have_attribute("lang", "cy")
        expect(wall.locator("#connection")).to_have_text("Yn fyw")
        contexts.append(context)
        walls.append(wall)

    expect_layout(walls, "results")
    for wall in walls:
        expect(wall.locator("#projector")).to_have_class("wall wall--bilingual")
        both_languages(wall.locator("#results-title"), "Beth mae pob grŵp yn ei feddwl",
                       "What each group thinks")
        both_languages(wall.locator("#phase-label"), "Llunio amlinelliadau rôl", "Build role outlines")
        expect(wall.locator("#results-summary")).to_contain_text("where groups differ")
    check_fits(walls, "bilingual build")

    ask(console, "outline:show", {"role_id": welsh_room["navigator"]})
    expect_layout(walls, "outline")
    for wall in walls:
        both_languages(wall.locator("#outline-title"), "Navigator: amlinelliad rôl",
                       "Navigator: role outline")
        both_languages(wall.locator("#outline-sections .wall__block-title").first,
                       "Prif gyfrifoldebau", "Key responsibilities")
    check_fits(walls, "bilingual outline")

    ask(console, "phase:set", {"phase": "closed"})
    expect_layout(walls, "closed")
    for wall in walls:
        both_languages(wall.locator("#message-title"),
                       "Mae'r gweithdy hwn wedi dod i ben. Diolch am gymryd rhan.",
                       "This workshop has finished. Thank you for taking part.")
    check_fits(walls, "bilingual closed")

    for phase in ("build", "results", "vote"):
        ask(console, "phase:set", {"phase": phase})
    ask(console, "round:open", {"mode": "agree"})
    expect_layout(walls, "voting")
    for wall in walls:
        both_languages(wall.locator("#voting-title"), "Pleidleisiwch ar eich ffôn nawr",
                       "Vote on your phone now")
    check_fits(walls, "bilingual vote")
    round_id = ask(console, "sync", {})["state"]["round"]["id"]
    ask(console, "round:close", {"round_id": round_id})

    ask(console, "phase:set", {"phase": "review"})
    expect_layout(walls, "ideas")
    welsh = welsh_wordings(welsh_room)
    for wall in walls:
        both_languages(wall.locator(".wall__block-title").first, "Cyfrifoldebau", "Responsibilities")
        check_text_size(wall, ".wall__card")
    check_fits(walls, "bilingual review")
    for wall, pages in walk_pages(console, walls, lambda wall: wall.locator(
            "#roles .wall__card").evaluate_all("""(cards) => cards.map((card) => [
              card.querySelector('[lang="cy"]').textContent,
              card.querySelector('[lang="en-GB"]').textContent])""")).items():
        shown = [pair for page in pages for pair in page]
        # Each idea on exactly one page, in Welsh and in English.
        assert sorted(shown) == sorted([welsh[idea], idea] for idea in welsh_room["ideas"]), \
            size_of(wall)
        print(f"\nbilingual ideas per page at {size_of(wall)}:", [len(page) for page in pages])

    ask(console, "phase:set", {"phase": "contribute"})
    ask(console, "phase:set", {"phase": "lobby"})
    expect_layout(walls, "lobby")
    check_fits(walls, "bilingual lobby")
    for context in contexts:
        context.close()
