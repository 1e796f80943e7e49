"""A participant in Welsh, in Chromium at a phone's size: join, add an idea, vote, and switch
to English and back in the middle of a vote without losing a single answer."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations
from .test_phone import card_item, no_sideways_scroll, phone_page, served_room

pytestmark = pytest.mark.browser

IDEA = "Mae'n helpu pobl i ddod o hyd i gymorth lleol"
WELSH_WORDING = "Yn gwrando ar bobl heb eu barnu"


def page_language(page) -> str:
    return page.evaluate("document.documentElement.lang")


def connected(page) -> None:
    expect(page.locator("#connection")).to_have_attribute("data-status", "live")


def no_problems(page, language: str) -> None:
    """axe finds nothing and the page says which language it is in."""
    assert page_language(page) == language
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)


def switch_to(page, name: str) -> None:
    """Use the small switch in the header: the same page again, in the other language."""
    page.locator(".top__tools").get_by_role("link", name=name).click()
    connected(page)


def test_a_welsh_participant_joins_adds_an_idea_and_votes_in_welsh(databases, tmp_path,
                                                                    open_context):
    with served_room(databases, tmp_path, phase="contribute") as room:
        page = phone_page(open_context, locale="cy")  # a phone set to Welsh
        page.goto(f"{room.server.url}/join")
        expect(page.get_by_role("heading", name="Ymuno â gweithdy", exact=True)).to_be_visible()
        offer = page.get_by_role("navigation", name="Dewiswch iaith / Choose your language")
        expect(offer.get_by_role("link", name="Cymraeg")).to_have_attribute("aria-current", "true")
        expect(offer.get_by_role("link", name="English")).to_have_attribute("lang", "en-GB")
        no_problems(page, "cy")

        page.get_by_label("Cod ymuno").fill(room.code)
        page.get_by_role("button", name="Parhau").click()
        expect(page.get_by_role("heading", name="Cyn i chi ymuno", exact=True)).to_be_visible()
        expect(page.locator(".notice")).to_contain_text("Rydym yn dileu enwau 12 mis ar ôl y gweithdy.")
        no_problems(page, "cy")
        page.get_by_role("button", name="Ymuno â'r gweithdy").click()  # nothing chosen yet
        expect(page.locator(".problem")).to_contain_text("Gwiriwch hyn")
        expect(page.locator(".problem")).to_contain_text("Ticiwch y blwch")
        no_problems(page, "cy")
        page.get_by_label("Carer", exact=True).check()
        page.get_by_label("Rwyf wedi darllen hwn ac rwyf eisiau cymryd rhan").check()
        page.get_by_role("button", name="Ymuno â'r gweithdy").click()

        connected(page)
        expect(page.get_by_role("heading", name="Ychwanegu syniad", exact=True)).to_be_visible()
        expect(page.locator(".me")).to_contain_text("Chi yw Cyfranogwr 3")
        no_problems(page, "cy")
        box = page.get_by_label("Eich syniad")
        box.fill("Drafft heb ei anfon")
        switch_to(page, "English")  # the draft survives the switch, in either language
        expect(page.get_by_label("Your idea")).to_have_value("Drafft heb ei anfon")
        switch_to(page, "Cymraeg")
        expect(box).to_have_value("Drafft heb ei anfon")
        box.fill(IDEA)
        page.get_by_role("button", name="Ychwanegu fy syniad").click()
        expect(page.locator("#add-feedback")).to_contain_text("Diolch.")
        expect(page.locator("#cards li", has_text=IDEA)).to_contain_text("Eich un chi")
        no_problems(page, "cy")

        # A facilitator adds the Welsh wording of an idea typed in English: the phone shows
        # both, each marked with its language for a screen reader.
        room.staff("card:translate", {"card_id": room.card_ids[0], "text": WELSH_WORDING})
        idea = page.locator("#cards li", has_text=room.texts[0])
        expect(idea.locator(".card__translation")).to_have_text(WELSH_WORDING)
        expect(idea.locator(".card__translation")).to_have_attribute("lang", "cy")
        expect(idea.locator(".card__text")).to_have_attribute("lang", "en-GB")
        no_problems(page, "cy")


def test_switching_language_mid_vote_keeps_every_vote(databases, tmp_path, open_context):
    with served_room(databases, tmp_path, phase="vote") as room:
        page = phone_page(open_context, locale="cy")
        page.goto(f"{room.server.url}/j/{room.code}")
        page.get_by_label("Carer", exact=True).check()
        page.get_by_label("Rwyf wedi darllen hwn ac rwyf eisiau cymryd rhan").check()
        page.get_by_role("button", name="Ymuno â'r gweithdy").click()
        connected(page)

        agree_round = room.open_vote("agree")
        first, second = room.card_ids[0], room.card_ids[1]
        progress = page.locator("#vote-progress")
        expect(progress).to_have_text(f"0 o {len(room.card_ids)} wedi'u hateb")
        page.locator(f"label[for=agree-{first}-agree]").click()
        page.locator(f"label[for=agree-{second}-disagree]").click()
        for text in room.texts[:2]:
            expect(card_item(page, text).locator(".vote-card__status")).to_have_text("Wedi'i gadw")
        no_problems(page, "cy")

        switch_to(page, "English")
        assert page_language(page) == "en-GB"
        expect(page.locator(f"#agree-{first}-agree")).to_be_checked()
        expect(page.locator(f"#agree-{second}-disagree")).to_be_checked()
        expect(progress).to_have_text(f"2 of {len(room.card_ids)} answered")
        page.locator(f"label[for=agree-{second}-unsure]").click()  # a change made in English
        expect(card_item(page, room.texts[1]).locator(".vote-card__status")).to_have_text("Saved")
        switch_to(page, "Cymraeg")
        expect(page.locator(f"#agree-{first}-agree")).to_be_checked()
        expect(page.locator(f"#agree-{second}-unsure")).to_be_checked()
        expect(progress).to_have_text(f"2 o {len(room.card_ids)} wedi'u hateb")
        no_problems(page, "cy")

        room.staff("round:close", {"round_id": agree_round})
        room.open_vote("dots", budget=5, max_per_card=2)
        item = card_item(page, room.texts[2])
        more = item.get_by_role("button", name=re.compile("^Rhoi dot ar: "))
        more.click()
        more.click()
        expect(item.locator(".dot-count")).to_have_text("2 dot")
        expect(progress).to_have_text("Dotiau ar ôl: 3 o 5")
        expect(item.locator(".vote-card__status")).to_have_text("Wedi'i gadw")
        no_problems(page, "cy")

        switch_to(page, "English")
        expect(card_item(page, room.texts[2]).locator(".dot-count")).to_have_text("2 dots")
        expect(progress).to_have_text("Dots left: 3 of 5")
        switch_to(page, "Cymraeg")
        expect(card_item(page, room.texts[2]).locator(".dot-count")).to_have_text("2 dot")
        expect(progress).to_have_text("Dotiau ar ôl: 3 o 5")
        no_problems(page, "cy")


def test_larger_text_is_remembered_and_fits_a_small_phone(databases, tmp_path, open_context):
    with served_room(databases, tmp_path, phase="contribute") as room:
        page = phone_page(open_context, locale="cy")
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(f"{room.server.url}/j/{room.code}")
        larger = page.get_by_role("button", name="Testun mwy")
        expect(larger).to_have_attribute("aria-pressed", "false")
        size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        larger.tap()
        expect(larger).to_have_attribute("aria-pressed", "true")
        bigger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert bigger == pytest.approx(size * 1.25)
        box = larger.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44  # a thumb's target
        no_problems(page, "cy")

        page.get_by_label("Carer", exact=True).check()
        page.get_by_label("Rwyf wedi darllen hwn ac rwyf eisiau cymryd rhan").check()
        page.get_by_role("button", name="Ymuno â'r gweithdy").click()
        connected(page)  # another page: still larger, still fits
        expect(page.get_by_role("button", name="Testun mwy")).to_have_attribute("aria-pressed", "true")
        no_problems(page, "cy")
        switch_to(page, "English")
        larger = page.get_by_role("button", name="Larger text")
        expect(larger).to_have_attribute("aria-pressed", "true")
        larger.tap()
        expect(larger).to_have_attribute("aria-pressed", "false")
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") \
            == pytest.approx(size)
