"""Exports read back and checked against the workshop: DOCX, PDF, CSV, JSON and Markdown."""

import csv
import io
import json
from pathlib import Path

import pytest
from docx import Document
from jsonschema import Draft202012Validator, FormatChecker
from pypdf import PdfReader

from coprod.domain.errors import Conflict, InvalidInput, NotFound
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import audit, exports, outlines, workshops

from ..factories import actor_of, make_user, make_workshop
from .test_outlines import BuildRoom

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "export.schema.json").read_text())


@pytest.fixture
def room(app):
    room = BuildRoom()
    room.start("Navigator")
    room.change("Navigator", 1, kind="add_card", section="responsibilities", card_id=room.cards[0])
    room.change("Navigator", 2, kind="add_card", section="competences", card_id=room.cards[1])
    room.change("Navigator", 3, kind="add_text", section="responsibilities",
                text="Follows up within two working days")
    outlines.sign_off(room.boss, room.workshop_id, room.roles["Navigator"], 4, "Agreed by all")
    room.start("Healthcare Assistant")
    return room


def export(room, fmt, **options):
    return exports.export(room.boss, room.workshop_id, fmt, **options)


def test_json_is_valid_against_the_published_schema_and_matches_the_workshop(room):
    result = export(room, "json")
    document = json.loads(result.data)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(document)
    navigator, hca = document["outlines"]
    assert (navigator["title"], navigator["version"], navigator["status"]) == ("Navigator", 4, "agreed")
    assert (hca["status"], hca["version"]) == ("draft", 1)
    lines = navigator["sections"][0]["items"]
    assert [i["text"] for i in lines] == ["Helps people find support",
                                          "Follows up within two working days"]
    assert lines[0]["consensus"] == "agreed" and lines[0]["proposed_by"] == ["Service user or patient"]
    assert {g["group"]: g["share"] for g in lines[0]["support"]} == {
        "Service user or patient": 100, "Carer": 100, "Staff": 100}
    assert lines[1]["origin"] == "room" and lines[1]["consensus"] is None
    statement = document["statement"]
    assert {p["constituency"]: p["count"] for p in statement["participants"]} == {
        "Service user or patient": 2, "Carer": 2, "Staff": 3}
    assert [d["text"] for d in statement["divisive"]] == ["Knows local groups"]
    seq, head = audit.head(room.workshop_id)
    before_export = audit.events_for(room.workshop_id)[1]
    assert statement["audit"]["head_hash"] == before_export.hash
    assert seq == statement["audit"]["head_seq"] + 1 and head != statement["audit"]["head_hash"]
    assert "verify-audit --workshop" in statement["audit"]["verify"]


def test_the_schema_rejects_a_broken_document(room):
    document = json.loads(export(room, "json").data)
    document["outlines"][0]["status"] = "approved-ish"
    assert list(Draft202012Validator(SCHEMA).iter_errors(document))


def test_docx_has_real_headings_and_tables(room):
    doc = Document(io.BytesIO(export(room, "docx").data))
    headings = [(p.style.name, p.text) for p in doc.paragraphs
                if p.style.name.startswith(("Heading", "Title"))]
    assert ("Heading 1", "Navigator") in headings and ("Heading 1", "Co-production statement") in headings
    assert ("Heading 2", "Key responsibilities") in headings
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "AGREED on" in body and "DRAFT: not yet agreed" in body
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert "Helps people find support" in cells and "Knows local groups" in cells
    assert any("indicative, subject to job evaluation" in cell for cell in cells)
    assert any("Carer 100% (2 of 2)" in cell for cell in cells)


def test_pdf_text_carries_the_outline_and_statement(room):
    result = export(room, "pdf", role_id=room.roles["Navigator"])
    assert result.data.startswith(b"%PDF") and result.filename == "navigator-v4-agreed.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(result.data)).pages)
    text = " ".join(text.split())
    for expected in ("Navigator", "AGREED on", "Helps people find support",
                     "Follows up within two working days", "Co-production statement",
                     "Typed in the room", "verify-audit"):
        assert expected in text, expected


def test_csv_has_a_row_per_line_with_support_per_group_and_the_statement(room):
    rows = list(csv.DictReader(io.StringIO(export(room, "csv").data.decode("utf-8-sig"))))
    items = [row for row in rows if row["record"] == "item"]
    helps = next(row for row in items if row["text"] == "Helps people find support")
    assert (helps["role"], helps["status"], helps["consensus"]) == ("Navigator", "agreed", "agreed")
    assert helps["support Carer"] == "100% (2/2)"
    knows = next(row for row in items if row["text"] == "Knows local groups")
    assert knows["section"] == "Competences" and knows["consensus"] == "divisive"
    assert knows["support Staff"] == "0% (0/3)"
    statement = {row["section"]: row["statement"] for row in rows if row["record"] == "statement"}
    assert "Carer: 2" in statement["Participants per group"]


def test_markdown_marks_drafts_and_agreed_versions(room):
    text = export(room, "md").data.decode()
    assert text.startswith("# Role outlines:")
    assert "## Navigator" in text and "AGREED on" in text and "DRAFT: not yet agreed" in text
    assert "| Helps people find support |" in text and "## Co-production statement" in text


def test_an_older_version_exports_as_it_was(room):
    document = json.loads(export(room, "json", role_id=room.roles["Navigator"], version=2).data)
    assert document["outlines"][0]["version"] == 2 and document["outlines"][0]["status"] == "draft"
    assert len(document["outlines"][0]["sections"][0]["items"]) == 1


def test_every_export_is_on_the_audit_trail(room):
    export(room, "csv")
    event = audit.events_for(room.workshop_id)[0]
    assert event.action == "export.created"
    assert event.payload["format"] == "csv" and event.payload["statuses"] == {
        str(room.roles["Navigator"]): "agreed", str(room.roles["Healthcare Assistant"]): "draft"}


def test_bad_export_requests_change_nothing(room):
    before = audit.head(room.workshop_id)
    with pytest.raises(InvalidInput, match="PDF, Word"):
        export(room, "xlsx")
    with pytest.raises(NotFound):
        export(room, "json", role_id=room.roles["Navigator"], version=99)
    other = make_workshop(room.owner)
    foreign_role = db.session.get(Workshop, other).roles[0].id
    with pytest.raises(NotFound):
        export(room, "json", role_id=foreign_role)
    with pytest.raises(Conflict, match="not been started"):
        export(room, "json", role_id=room.roles["Nurse in Community Mental Health Centre"])
    assert audit.head(room.workshop_id) == before


def test_a_lead_exports_and_strangers_cannot(room):
    lead, stranger = make_user("lead"), make_user()
    workshops.share(room.boss, room.workshop_id, lead.email, "lead")
    assert exports.export(actor_of(lead), room.workshop_id, "md").data
    with pytest.raises(NotFound):
        exports.export(actor_of(stranger), room.workshop_id, "md")
