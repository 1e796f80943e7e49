"""In Chromium: build an outline from the room's ideas, sign it off, and download it."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from coprod import create_app
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import cards, participants

from ..factories import PASSWORD as FACTORY_PASSWORD
from ..factories import group_id, make_user, make_workshop, set_phase
from ..services.test_outlines import BuildRoom
from .conftest import axe_violations

pytestmark = pytest.mark.browser
PASSWORD = "a very long password"


@pytest.fixture
def workshop_in_build(live_server):
    """A workshop with two ideas from the room, moved on to the build phase."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server.database_url, "TESTING": True,
                      "SECRET_KEY": "setup", "LIVE_LOOP": False})
    with app.app_context():
        owner = make_user(email="alex@example.org", password=PASSWORD)
        workshop_id = make_workshop(owner)
        set_phase(owner, workshop_id, "contribute")
        code = db.session.get(Workshop, workshop_id).join_code
        person = participants.join(code, group_id(workshop_id, "Carer"), None, True)
        for kind, text in (("responsibility", "Helps people find local support"),
                           ("competence", "Listens without judging")):
            cards.add_card(participants.actor_for(person), workshop_id, kind, text)
        set_phase(owner, workshop_id, "review", "vote", "results", "build")
        db.session.remove()
        db.engine.dispose()
    return workshop_id


@pytest.fixture
def voted_workshop(live_server):
    """A workshop in the build phase with ideas agreed, divisive, open and not voted on."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server.database_url, "TESTING": True,
                      "SECRET_KEY": "setup", "LIVE_LOOP": False, "ASYNC_MODE": "threading"})
    with app.app_context():
        room = BuildRoom()
        cards.add_card(room.boss, room.workshop_id, "responsibility", "Keeps good notes")
        set_phase(room.owner, room.workshop_id, "results", "build")
        made = room.workshop_id, room.owner.email
        db.session.remove()
        db.engine.dispose()
    return made


def sign_in(page, server, email="alex@example.org", password=PASSWORD):
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_build_sign_off_and_download(live_server, workshop_in_build, open_context):
    # Tall enough that the idea and the section it is dragged to are on screen together.
    context = open_context(accept_downloads=True,
                           viewport={"width": 1400, "height": 2600})
    page = context.new_page()
    sign_in(page, live_server)
    projector = context.new_page()
    projector.goto(f"{live_server.url}/workshops/{workshop_in_build}/projector")

    page.goto(f"{live_server.url}/workshops/{workshop_in_build}/outlines/build")
    expect(page.get_by_role("heading", name="Navigator outline")).to_be_visible()
    expect(page.locator("#version-banner")).to_contain_text("Version 1: draft")
    page.get_by_role("button", name="Show on the projector").click()
    expect(projector.get_by_role("heading", name="Navigator: role outline")).to_be_visible()

    # The keyboard way: choose a section under the idea and press Add.
    page.get_by_role("button", name="Add to outline: Helps people find local support").click()
    expect(page.locator("#version-banner")).to_contain_text("Version 2: draft")
    # Drag and drop: the competence onto the competences section.
    page.locator(".coprod-idea", has_text="Listens without judging").get_by_text(
        "Listens without judging").drag_to(
        page.locator("section.coprod-section", has=page.get_by_role("heading", name="Competences (0)")))
    expect(page.get_by_role("heading", name="Competences (1)")).to_be_visible()
    expect(projector.locator("#outline-sections")).to_contain_text("Listens without judging")

    page.get_by_role("button", name="Edit: Helps people find local support").click()
    page.get_by_label("Wording (the idea it came from stays linked)").fill(
        "Helps people and carers find local support")
    page.get_by_role("button", name="Save this line").click()
    expect(page.get_by_text("Helps people and carers find local support", exact=True)).to_be_visible()
    page.get_by_label("Add a line typed in the room to key responsibilities").fill(
        "Rings people back the same day")
    page.get_by_role("button", name="Add line to key responsibilities").click()
    expect(page.locator("#version-banner")).to_contain_text("Version 5: draft")
    # The keyboard way to another section: choose it under the line, then press Move.
    page.get_by_role("combobox", name="Move to: Rings people back the same day").select_option(
        label="Values")
    page.get_by_role("button", name="Move to the chosen section: Rings people back the same day"
                     ).press("Enter")
    expect(page.get_by_role("heading", name="Values (5)")).to_be_visible()
    expect(page.locator("#version-banner")).to_contain_text("Version 6: draft")
    assert axe_violations(page) == []

    # A second builder screen follows the sign-off made on the first.
    second = context.new_page()
    second.goto(f"{live_server.url}/workshops/{workshop_in_build}/outlines/build")
    expect(second.locator("#version-banner")).to_contain_text("Version 6: draft")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign off version 6 as agreed").click()
    expect(page.locator("#version-banner")).to_contain_text("Version 6: agreed")
    expect(page.get_by_role("button", name="Start a new draft")).to_be_visible()
    expect(projector.locator("#outline-status")).to_have_text("Version 6: agreed")
    expect(second.locator("#version-banner")).to_contain_text("Version 6: agreed")
    expect(second.get_by_role("button", name="Start a new draft")).to_be_visible()

    page.get_by_role("link", name="View and download").click()
    expect(page.get_by_text("Version 6. AGREED on")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download Word (DOCX)").click()
    download = download_info.value
    assert download.suggested_filename == "navigator-v6-agreed.docx"
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))
    rows = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    assert "Helps people and carers find local support" in [row[0] for row in rows]
    assert ["Rings people back the same day", "Typed in the room", "Not voted on"] in rows
    with page.expect_download() as pdf_info:
        page.get_by_role("button", name="Download PDF").click()
    assert open(pdf_info.value.path(), "rb").read(4) == b"%PDF"


def test_the_builder_shows_how_the_room_voted_on_each_idea(live_server, voted_workshop,
                                                           open_context):
    workshop_id, email = voted_workshop
    page = open_context().new_page()
    sign_in(page, live_server, email, FACTORY_PASSWORD)
    page.goto(f"{live_server.url}/workshops/{workshop_id}/outlines/build")
    for text, status in (("Helps people find support", "Agreed by every group"),
                         ("Knows local groups", "Groups differ"),
                         ("Explains care plans", "Not decided"),
                         ("Keeps good notes", "Not voted on")):
        idea = page.locator(".coprod-idea", has_text=text)
        expect(idea.locator(".coprod-idea__meta")).to_have_text(f"Any role · Responsibility · {status}")
