"""Exports read back and checked against the workshop: DOCX, PDF, CSV, JSON and Markdown."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from jsonschema import Draft202012Validator, FormatChecker
from pypdf import PdfReader

from coprod.domain.errors import Conflict, InvalidInput, NotFound
from coprod.domain.labels import consensus_label
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import audit, exports, outlines, voting, workshops

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


@pytest.fixture
def helped_room(app):
    """A Carer on paper, whose idea and vote a helper entered; both are in the Navigator outline."""
    room = BuildRoom(helped=True)
    room.start("Navigator")
    room.change("Navigator", 1, kind="add_card", section="responsibilities", card_id=room.cards[0])
    room.change("Navigator", 2, kind="add_card", section="competences", card_id=room.paper_card)
    return room


def export(room, fmt, **options):
    return exports.export(room.boss, room.workshop_id, fmt, **options)


def docx_tables(data: bytes) -> dict:
    """Every table of a Word export as (headers, rows), keyed by (heading 1, heading 2)."""
    tables, outline, section = {}, None, None
    for block in Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(block, Table):
            headers, *rows = [[cell.text for cell in row.cells] for row in block.rows]
            tables[(outline, section)] = (headers, rows)
        elif block.style.name == "Heading 1":
            outline, section = block.text, None
        elif block.style.name == "Heading 2":
            section = block.text
    return tables


def markdown_tables(text: str) -> dict:
    """Every table of a Markdown export as (headers, rows), keyed by (## heading, ### heading)."""
    tables, outline, section, headers = {}, None, None, None
    for line in text.splitlines():
        if line.startswith("## "):
            outline, section = line[3:], None
        elif line.startswith("### "):
            section = line[4:]
        if not line.startswith("|"):
            headers = None
            continue
        cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if headers is None:
            headers = cells
            tables[(outline, section)] = (headers, [])
        elif set(line) - set("|-"):
            tables[(outline, section)][1].append(cells)
    return tables


def line(table: tuple, text: str) -> dict:
    """The row of a (headers, rows) table that starts with this text, by column name."""
    headers, rows = table
    return dict(zip(headers, next(row for row in rows if row[0] == text), strict=True))


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


def test_docx_gives_every_line_its_origin_and_support_like_the_page(room):
    room.change("Healthcare Assistant", 1, kind="add_card", section="person_spec",
                card_id=room.cards[0])
    tables = docx_tables(export(room, "docx").data)
    typed = line(tables[("Navigator", "Key responsibilities")], "Follows up within two working days")
    assert (typed["Origin"], typed["Support per group"]) == ("Typed in the room", "Not voted on")
    knows = line(tables[("Navigator", "Competences")], "Knows local groups")
    assert knows["Origin"] == "From an idea in the room (proposed by: Service user or patient)"
    assert knows["Support per group"] == ("Groups differ in vote 1: Service user or patient 100% "
                                          "(2 of 2) · Carer 100% (2 of 2) · Staff 0% (0 of 3)")
    spec = tables[("Healthcare Assistant", "Person specification")]
    assert spec[0] == ["Requirement", "Essential or desirable", "How assessed", "Origin",
                       "Support per group"]
    from_template = dict(zip(spec[0], spec[1][0], strict=True))
    assert (from_template["Origin"], from_template["Support per group"]) == (
        "From the role template", "Not voted on")
    voted = line(spec, "Helps people find support")
    assert voted["Origin"] == "From an idea in the room (proposed by: Service user or patient)"
    assert voted["Support per group"] == ("Agreed by every group in vote 1: Service user or patient "
                                          "100% (2 of 2) · Carer 100% (2 of 2) · Staff 100% (3 of 3)")


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


def test_markdown_marks_drafts_and_carries_the_statements_support_per_group(room):
    text = export(room, "md").data.decode()
    assert text.startswith("# Role outlines:")
    assert "## Navigator" in text and "AGREED on" in text and "DRAFT: not yet agreed" in text
    tables = markdown_tables(text)
    headers, rows = tables[("Navigator", "Key responsibilities")]
    assert headers == ["Key responsibilities", "Origin", "Support per group"]
    assert ["Follows up within two working days", "Typed in the room", "Not voted on"] in rows
    assert tables[("Navigator", "Person specification")][0][-2:] == ["Origin", "Support per group"]
    headers, rows = tables[("Co-production statement", "Support for each adopted line, per group")]
    assert headers == ["Role", "Line", "Result", "Support per group"]
    support = {text: (result, cell) for _, text, result, cell in rows}
    workshop = db.session.get(Workshop, room.workshop_id)
    outcome = voting.results(voting.rounds_of(room.workshop_id)[0], workshop)
    for card in outcome["cards"]:
        if card["text"] not in support:
            continue  # in the vote, but in no outline
        result, cell = support.pop(card["text"])
        assert result == str(consensus_label(card["status"]))
        assert cell == " · ".join(f"{g['name']} {g['share']}% ({g['supporters']} of {g['voters']})"
                                  for g in card["groups"])
    assert support == {}  # every adopted line that was voted on is in the statement


DETAILS = ("Type", "Level", "Essential or desirable", "How assessed")
NOT_DECIDED = "Not decided yet"


def test_details_nobody_chose_read_not_decided_yet_in_every_format(room):
    """The Navigator's competence came from an idea and nobody chose its details; on the HCA's
    the room chose a type and essential, and only those read as chosen."""
    hca = room.change("Healthcare Assistant", 1, kind="add_card", section="competences",
                      card_id=room.cards[1])
    item_id = hca["content"]["competences"][0]["id"]
    room.change("Healthcare Assistant", 2, kind="update_item", section="competences",
                item_id=item_id, changes={"type": "behaviour", "requirement": "essential"})
    document = json.loads(export(room, "json").data)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(document)
    navigator, chosen = (outline["sections"][1]["items"][0] for outline in document["outlines"])
    assert [navigator[key] for key in ("type", "level", "requirement", "assessment")] == [None] * 4
    assert [chosen[key] for key in ("type", "level", "requirement", "assessment")] == [
        "behaviour", None, "essential", None]
    expected = {"Navigator": [NOT_DECIDED] * 4,
                "Healthcare Assistant": ["Behaviour", NOT_DECIDED, "Essential", NOT_DECIDED]}
    for tables in (markdown_tables(export(room, "md").data.decode()),
                   docx_tables(export(room, "docx").data)):
        for role, details in expected.items():
            row = line(tables[(role, "Competences")], "Knows local groups")
            assert [row[header] for header in DETAILS] == details, role
    rows = list(csv.DictReader(io.StringIO(export(room, "csv").data.decode("utf-8-sig"))))
    knows = {row["role"]: row for row in rows if row["text"] == "Knows local groups"}
    assert [knows["Navigator"][key] for key in ("type", "level", "requirement", "assessment")] == [
        NOT_DECIDED] * 4
    assert (knows["Healthcare Assistant"]["type"], knows["Healthcare Assistant"]["level"]) == (
        "behaviour", NOT_DECIDED)
    helps = next(row for row in rows if row["text"] == "Helps people find support")
    assert helps["type"] == helps["requirement"] == ""  # a responsibility has no such details
    pdf = export(room, "pdf", role_id=room.roles["Navigator"]).data
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert text.count(NOT_DECIDED) == 4 and "Skill" not in text


def test_support_a_helper_entered_says_so_in_the_export(helped_room):
    tables = docx_tables(export(helped_room, "docx").data)
    helps = line(tables[("Navigator", "Key responsibilities")], "Helps people find support")
    assert helps["Support per group"] == (
        "Agreed by every group in vote 1: Service user or patient 100% (2 of 2) · "
        "Carer 100% (3 of 3; 1 vote entered by a helper) · Staff 100% (3 of 3)")
    speaks = line(tables[("Navigator", "Competences")], "Speaks up for carers")
    assert speaks["Origin"] == "From an idea in the room (proposed by: Carer)"
    statement = dict(tables[("Co-production statement", None)][1])
    assert "Carer: 1 (1 entered by a helper)" in statement["Ideas proposed per group"]
    assert "Carer: 3 (1 on paper)" in statement["Participants per group"]
    document = json.loads(export(helped_room, "json").data)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(document)
    first = document["outlines"][0]["sections"][0]["items"][0]
    assert {g["group"]: g["entered_by_helper"] for g in first["support"]} == {
        "Service user or patient": 0, "Carer": 1, "Staff": 0}
    rows = list(csv.DictReader(io.StringIO(export(helped_room, "csv").data.decode("utf-8-sig"))))
    helps = next(row for row in rows if row["text"] == "Helps people find support")
    assert helps["support Carer"] == "100% (3/3; 1 vote entered by a helper)"


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
