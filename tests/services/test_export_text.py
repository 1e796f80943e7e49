"""Unusual but valid text (emoji, Welsh letters, right-to-left scripts, joiners) goes through
every step unchanged, and the Word and PDF exports of it succeed (python-docx refuses characters
XML cannot hold, which is how a control character in an outline line used to end in a server
error)."""

import io
from types import SimpleNamespace

import pytest
from docx import Document
from pypdf import PdfReader

from coprod.domain.errors import InvalidInput
from coprod.services import cards, exports, outlines, participants

from ..factories import actor_of, join, make_user, make_workshop, set_phase

WELSH = "Gweithiwr cymorth ŵ ŷ: yn helpu pobl"
EMOJI = "Helps families 👩‍👩‍👧 feel heard 🌱"  # family: people held together by zero-width joiners
ARABIC = "يساعد الناس في العثور على الدعم"
HEBREW = "עוזר לאנשים למצוא תמיכה"
JOINED = "Care\u200dcoordinator and peer\u2060worker"
LINES = (WELSH, EMOJI, ARABIC, HEBREW, JOINED)


@pytest.fixture
def outline(app):
    """A Navigator outline: version `before_emoji` has the typed lines, the newest adds an idea
    with emoji from a phone."""
    owner = make_user()
    boss = actor_of(owner)
    workshop_id = make_workshop(owner, title="Rolau newydd ŵ ŷ")
    set_phase(owner, workshop_id, "contribute")
    phone = participants.actor_for(join(workshop_id, "Carer", nickname="Siân 🌼"))
    role_id = outlines.outline_roles(workshop_id)[0][0].id
    version = outlines.ensure_outline(boss, workshop_id, role_id)["number"]
    for text in (WELSH, ARABIC, HEBREW, JOINED):
        version = outlines.change(boss, workshop_id, role_id, version, {
            "kind": "add_text", "section": "values", "text": text})["number"]
    before_emoji = outlines.change(boss, workshop_id, role_id, version, {
        "kind": "update_fields", "changes": {"purpose": WELSH, "reporting_lines": HEBREW}})["number"]
    card = cards.add_card(phone, workshop_id, "responsibility", EMOJI)["card"]
    outlines.change(boss, workshop_id, role_id, before_emoji, {
        "kind": "add_card", "section": "responsibilities", "card_id": card["id"]})
    return SimpleNamespace(boss=boss, workshop_id=workshop_id, role_id=role_id,
                           before_emoji=before_emoji)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_word_export_keeps_every_character(outline):
    text = docx_text(exports.export(outline.boss, outline.workshop_id, "docx").data)
    for line in LINES:
        assert line in text
    assert "Rolau newydd ŵ ŷ" in text


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_export_succeeds_and_keeps_welsh_and_right_to_left_text(outline):
    typed = exports.export(outline.boss, outline.workshop_id, "pdf", outline.role_id,
                           outline.before_emoji)
    text = pdf_text(typed.data)
    assert WELSH in text and HEBREW in text and "Rolau newydd ŵ ŷ" in text
    # With the emoji too: the PDF is made and reads back (this machine has no emoji font, so
    # WeasyPrint draws an empty box for them, and text extraction cannot be compared).
    newest = exports.export(outline.boss, outline.workshop_id, "pdf")
    assert newest.data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(newest.data)).pages) >= 1


def test_a_control_character_never_reaches_an_export(outline):
    latest = outlines.latest_version(outline.role_id)
    with pytest.raises(InvalidInput) as raised:
        outlines.change(outline.boss, outline.workshop_id, outline.role_id, latest.number, {
            "kind": "add_text", "section": "values", "text": "Kind\x0bto\x1bpeople"})
    assert raised.value.field == "text"
    assert outlines.latest_version(outline.role_id).number == latest.number
    assert "Kind to" not in docx_text(exports.export(outline.boss, outline.workshop_id,
                                                     "docx").data)
