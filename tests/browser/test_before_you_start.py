"""The "Before you start" page in Chromium: on a phone at 320 px and on a laptop at 1280x720, in
English and Welsh, axe-clean (WCAG 2.2 A/AA) with no sideways scroll; the facilitator's evidence
pack page too, with a refused upload's message on the form."""

from datetime import date

import pytest
from playwright.sync_api import expect

from coprod.domain.evidence import EvidenceDetails
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import evidence

from ..conftest import app_on
from ..factories import PASSWORD, actor_of, make_user, make_workshop
from ..support.live_server import LiveServer
from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 720}
LAPTOP = {"width": 1280, "height": 720}
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth + 1"
PDF = b"%PDF-1.4\n% a report\n%%EOF\n"


@pytest.fixture
def session(databases, tmp_path):
    """A session still in its lobby, with its "Before you start" details and two items."""
    url, folder = databases.fresh(), tmp_path / "evidence"
    with app_on(url) as app:
        app.config["EVIDENCE_DIR"] = str(folder)
        owner = make_user(email="alex@example.org")
        workshop_id = make_workshop(owner, title="Navigator roles")
        project_id = db.session.get(Workshop, workshop_id).project_id
        boss = actor_of(owner)
        evidence.save_before(boss, project_id, evidence.BeforeDetails(
            "We look at what a Navigator does, add ideas, then vote on them.",
            "About 2 hours, with a break", "Travel paid, lunch, and a £25 voucher"))
        evidence.add_item(boss, project_id, EvidenceDetails(
            "Sustaining new roles", "Work in small steps and bring everyone to the table from "
            "day one.", "Health Education and Improvement Wales", date(2023, 9, 12),
            "https://example.org/a-very-long-address/that/should/never/make/the/page/scroll"
            "/sideways/on/a/small/phone"), evidence.Upload("sustaining.pdf", PDF))
        evidence.add_item(boss, project_id, EvidenceDetails("Bevan Exemplar report"))
        details = {"code": db.session.get(Workshop, workshop_id).join_code,
                   "project_id": project_id}
    server = LiveServer(url, log_path=tmp_path / "server.log",
                        env={"COPROD_EVIDENCE_DIR": str(folder)}).start()
    yield server, details
    server.stop()


def problems(page) -> list:
    found = list(axe_violations(page))
    if page.evaluate(WIDER_THAN_SCREEN):
        found.append(f"sideways scroll at {page.viewport_size['width']} px")
    return found


@pytest.mark.parametrize("language", ["en", "cy"])
def test_before_you_start_reads_well_on_a_phone_and_a_laptop(session, open_context, language):
    server, details = session
    page = open_context(**PHONE).new_page()
    page.goto(f"{server.url}/before/{details['code']}?lang={language}")
    heading = "Before you start" if language == "en" else "Cyn i chi ddechrau"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    download = "Download the PDF" if language == "en" else "Lawrlwytho'r PDF"
    expect(page.get_by_role("link", name=download)).to_be_visible()
    for size in (NARROW, LAPTOP):
        page.set_viewport_size(size)
        page.wait_for_timeout(100)
        assert problems(page) == [], size
    join = "Join" if language == "en" else "Ymuno"
    page.get_by_role("link", name=join, exact=True).click()
    expect(page).to_have_url(f"{server.url}/j/{details['code']}")


def test_the_evidence_page_is_clean_and_says_why_a_file_was_refused(session, open_context,
                                                                     tmp_path):
    server, details = session
    page = open_context(viewport=LAPTOP).new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill("alex@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{server.url}/projects/{details['project_id']}/evidence")
    assert problems(page) == []
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("These are notes, not a PDF.")
    page.get_by_label("Title", exact=True).fill("Our notes")
    page.get_by_label("PDF file (optional)").set_input_files(str(not_pdf))
    page.get_by_role("button", name="Add to the pack", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("That file is not a PDF. Please choose a PDF file.")
    assert problems(page) == []
