"""Role outlines in Welsh and English: each line keeps its own language and its other wording
(who entered it, when), and every export comes in Welsh, English or both side by side."""

import csv
import io
import json
import re
from functools import lru_cache

import pytest
from docx import Document
from docx.oxml.ns import qn
from jsonschema import Draft202012Validator, FormatChecker
from pypdf import PdfReader

from coprod.domain.errors import InvalidInput
from coprod.domain.i18n import _
from coprod.domain.outline_templates import starting_outline
from coprod.domain.outlines import SECTIONS
from coprod.exports.wording import NO_WORDING
from coprod.extensions import db
from coprod.language import in_language
from coprod.models import Card, OutlineVersion
from coprod.services import audit, exports, outlines

from ..conftest import csrf_token
from .test_exports import SCHEMA, markdown_tables
from .test_outlines import BuildRoom

FORMATS = ("pdf", "docx", "md", "csv", "json")
MODES = ("cy", "en", "both")
# A Welsh idea with its English wording, as a facilitator entered it on the wall.
IDEA_CY, IDEA_EN = "Yn adnabod grwpiau cymorth lleol", "Knows local support groups"
TYPED_CY, TYPED_EN = "Yn ffonio pobl yn ôl o fewn dau ddiwrnod gwaith", \
    "Phones people back within two working days"
HELPS_CY = "Yn helpu pobl i ddod o hyd i gymorth"


def navigator(room) -> int:
    return room.roles["Navigator"]


def newest(room) -> dict:
    return outlines.ensure_outline(room.boss, room.workshop_id, navigator(room))


def translate(room, section, item, language, text):
    return room.change("Navigator", newest(room)["number"], kind="translate", section=section,
                       item_id=item["id"], language=language, text=text)


def welsh_idea(room) -> int:
    """Card 1 as typed in Welsh, with the English wording a facilitator added."""
    card = db.session.get(Card, room.cards[1])
    card.language, card.text, card.translation = "cy", IDEA_CY, IDEA_EN
    card.translated_by_user_id = room.owner.id
    db.session.commit()
    return card.id


@pytest.fixture
def bilingual(app):
    """A Navigator outline whose every line has a Welsh and an English wording: an English
    idea translated in the builder, a Welsh idea that came with its English, a line typed in
    Welsh and translated, and the template's lines."""
    room = BuildRoom()
    room.start("Navigator")
    room.change("Navigator", 1, kind="add_card", section="responsibilities", card_id=room.cards[0])
    room.change("Navigator", 2, kind="add_card", section="competences", card_id=welsh_idea(room))
    room.change("Navigator", 3, kind="add_text", section="responsibilities", text=TYPED_CY,
                language="cy")
    for section in SECTIONS:
        for item in newest(room)["content"][section]:
            if item["text"] == "Helps people find support":
                translate(room, section, item, "cy", HELPS_CY)
            elif item["text"] == TYPED_CY:
                translate(room, section, item, "en", TYPED_EN)
            elif not (item.get("translation") or {}).get("text"):
                translate(room, section, item, "cy", f"Cymraeg: {item['text']}")
    return room


def wordings(room) -> list[tuple[str, str]]:
    """Every line of the Navigator outline as (Welsh, English)."""
    pairs = []
    for section in SECTIONS:
        for item in newest(room)["content"][section]:
            own, other = item["text"], item["translation"]["text"]
            pairs.append((own, other) if item["language"] == "cy" else (other, own))
    return pairs


def export(room, fmt, language, **options):
    return exports.export(room.boss, room.workshop_id, fmt, navigator(room), language=language,
                          **options)


def flat(text: str) -> str:
    """Text with no white space at all (PDF text comes back broken across lines)."""
    return "".join(text.split())


@lru_cache(maxsize=4)  # read once, however many lines a test looks for
def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@lru_cache(maxsize=4)
def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def docx_headings(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs
            if p.style.name.startswith(("Heading", "Title"))]


def markdown_cells(data: bytes) -> list[str]:
    """Every table cell of a Markdown export, with Markdown's escapes taken off."""
    tables = markdown_tables(data.decode("utf-8"))
    return [re.sub(r"\\(.)", r"\1", cell) for headers, rows in tables.values()
            for cell in headers + [cell for row in rows for cell in row]]


def csv_items(data: bytes) -> list[dict]:
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return [row for row in rows if row["record"] == "item"]


def json_items(data: bytes) -> list[dict]:
    document = json.loads(data)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(document)
    return [item for outline in document["outlines"] for section in outline["sections"]
            for item in section["items"]]


def found_in(fmt: str, data: bytes, language: str) -> set[str]:
    """The line wordings an export shows in `language` (or as its own text for PDF/DOCX)."""
    if fmt == "csv":
        return {row[f"text_{language}"] for row in csv_items(data)}
    if fmt == "json":
        return {item["wordings"][language] for item in json_items(data)}
    if fmt == "md":
        return set(markdown_cells(data))
    return set()


def shows(fmt: str, data: bytes, language: str, wording: str) -> bool:
    if fmt == "pdf":
        return flat(wording) in pdf_text(data)
    if fmt == "docx":
        return wording in docx_text(data)
    return wording in found_in(fmt, data, language)


def in_welsh(message) -> str:
    with in_language("cy"):
        return str(message)


@pytest.mark.parametrize("fmt", FORMATS)
def test_both_side_by_side_shows_each_lines_welsh_and_english_in_every_format(bilingual, fmt):
    result = export(bilingual, fmt, "both")
    pairs = wordings(bilingual)
    assert len(pairs) >= 9  # 3 lines from the room, 2 from the person specification, 4 values
    for welsh, english in pairs:
        assert shows(fmt, result.data, "cy", welsh), welsh
        assert shows(fmt, result.data, "en", english), english
    assert result.filename.endswith(f"-both.{fmt}")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", ("cy", "en"))
def test_one_language_shows_each_line_in_that_language(bilingual, fmt, language):
    result = export(bilingual, fmt, language)
    for welsh, english in wordings(bilingual):
        wanted = welsh if language == "cy" else english
        assert shows(fmt, result.data, language, wanted), wanted


def test_csv_has_a_column_for_each_language_and_json_carries_both_wordings_whatever_the_language(
        bilingual):
    pairs = set(wordings(bilingual))
    for language in MODES:
        rows = csv_items(export(bilingual, "csv", language).data)
        assert {(row["text_cy"], row["text_en"]) for row in rows} == pairs
        document = json.loads(export(bilingual, "json", language).data)
        assert document["language"] == language and document["format_version"] == 3
        items = json_items(export(bilingual, "json", language).data)
        assert {(item["wordings"]["cy"], item["wordings"]["en"]) for item in items} == pairs
    typed = next(row for row in csv_items(export(bilingual, "csv", "en").data)
                 if row["text_cy"] == TYPED_CY)
    assert (typed["text"], typed["text_language"], typed["language"]) == (TYPED_EN, "en", "cy")


def test_headings_and_labels_are_welsh_in_a_welsh_export(bilingual):
    statement, section = _("Co-production statement"), _("Job details")
    assert in_welsh(statement) != str(statement)  # the catalogue has the Welsh
    headings = docx_headings(export(bilingual, "docx", "cy").data)
    assert in_welsh(statement) in headings and in_welsh(section) in headings
    assert str(statement) not in headings
    both = docx_headings(export(bilingual, "docx", "both").data)
    assert f"{in_welsh(statement)} / {statement}" in both
    markdown = export(bilingual, "md", "cy").data.decode()
    assert f"## {in_welsh(statement)}" in markdown and "## Co-production statement" not in markdown
    assert in_welsh(statement).replace(" ", "") in pdf_text(export(bilingual, "pdf", "cy").data)
    document = json.loads(export(bilingual, "json", "cy").data)
    assert document["outlines"][0]["details"]["indicative_note"] == in_welsh(
        _("Indicative, subject to job evaluation"))


def test_the_pdf_marks_the_language_of_each_part(bilingual, app):
    from flask import render_template

    from coprod.exports import wording
    from coprod.services import documents
    from coprod.services.outlines import latest_version, role_in

    role = role_in(bilingual.workshop_id, navigator(bilingual))
    with app.test_request_context("/"), wording.export_language("both"):
        workshop = role.workshop
        document = documents.build(workshop, [(role, latest_version(role.id))])
        page = render_template("outlines/print.html", document=document, wording=wording)
    assert '<html lang="cy">' in page
    assert f'<span lang="cy">{TYPED_CY}</span>' in page
    assert f'<span lang="en-GB">{TYPED_EN}</span>' in page


def test_a_line_with_no_wording_in_the_language_asked_for_shows_its_own_and_says_so(app):
    room = BuildRoom()
    room.start("Navigator")
    room.change("Navigator", 1, kind="add_text", section="responsibilities",
                text="Keeps a list of local groups", language="en")
    marker = in_welsh(NO_WORDING["cy"])
    assert marker != str(NO_WORDING["cy"])
    welsh = docx_text(export(room, "docx", "cy").data)
    assert f"Keeps a list of local groups {marker}" in welsh
    item = next(i for i in json_items(export(room, "json", "cy").data)
                if i["wordings"]["en"] == "Keeps a list of local groups")
    assert (item["text"], item["text_language"], item["wordings"]["cy"]) == (
        "Keeps a list of local groups", "en", None)
    english = docx_text(export(room, "docx", "en").data)
    assert "Keeps a list of local groups" in english and marker not in english


def test_a_line_made_from_a_translated_idea_starts_with_both_wordings(app):
    room = BuildRoom()
    room.start("Navigator")
    card_id = welsh_idea(room)
    line = room.change("Navigator", 1, kind="add_card", section="competences",
                       card_id=card_id)["content"]["competences"][0]
    assert (line["language"], line["text"]) == ("cy", IDEA_CY)
    assert line["translation"]["language"] == "en" and line["translation"]["text"] == IDEA_EN
    assert line["translation"]["by_user_id"] == room.owner.id and line["translation"]["at"]


def test_a_wording_added_in_the_builder_records_who_and_when_and_is_a_new_audited_version(app):
    room = BuildRoom()
    room.start("Navigator")
    added = room.change("Navigator", 1, kind="add_card", section="responsibilities",
                        card_id=room.cards[0])
    line = added["content"]["responsibilities"][0]
    saved = translate(room, "responsibilities", line, "cy", HELPS_CY)
    translation = saved["content"]["responsibilities"][0]["translation"]
    assert saved["number"] == 3 and translation["text"] == HELPS_CY
    assert translation["by_user_id"] == room.owner.id and translation["at"].endswith("Z")
    assert "Welsh wording saved" in saved["summary"]
    event = audit.events_for(room.workshop_id)[0]
    assert event.action == "outline.changed" and event.payload["operation"] == "translate"
    item = json_items(export(room, "json", "both").data)[0]
    assert item["translated_by"] and item["translated_at"] == translation["at"]
    # Taking it out is a change too; the line is English only again.
    emptied = translate(room, "responsibilities", line, "cy", "  ")
    assert emptied["content"]["responsibilities"][0]["translation"] is None


def test_a_wording_in_the_lines_own_language_is_refused(app):
    room = BuildRoom()
    room.start("Navigator")
    line = room.change("Navigator", 1, kind="add_text", section="values",
                       text="Kind", language="en")["content"]["values"][-1]
    with pytest.raises(InvalidInput):
        translate(room, "values", line, "en", "Kind to everyone")
    with pytest.raises(InvalidInput):
        translate(room, "values", line, "fr", "Gentil")
    assert newest(room)["number"] == 2  # nothing saved


def test_rewording_a_line_puts_its_translation_out_of_date_until_it_is_saved_again(app):
    room = BuildRoom()
    room.start("Navigator")
    line = room.change("Navigator", 1, kind="add_card", section="responsibilities",
                       card_id=room.cards[0])["content"]["responsibilities"][0]
    translate(room, "responsibilities", line, "cy", HELPS_CY)
    room.change("Navigator", 3, kind="update_item", section="responsibilities",
                item_id=line["id"], changes={"text": "Helps people find local support"})
    item = json_items(export(room, "json", "cy").data)[0]
    assert item["wordings"] == {"cy": None, "en": "Helps people find local support"}
    assert item["translation_out_of_date"] is True
    translate(room, "responsibilities", line, "cy", "Yn helpu pobl i ddod o hyd i gymorth lleol")
    item = json_items(export(room, "json", "cy").data)[0]
    assert item["text"] == "Yn helpu pobl i ddod o hyd i gymorth lleol"
    assert item["translation_out_of_date"] is False


def test_moving_a_line_keeps_both_wordings(bilingual):
    line = next(i for i in newest(bilingual)["content"]["responsibilities"] if i["text"] == TYPED_CY)
    moved = bilingual.change("Navigator", newest(bilingual)["number"], kind="move",
                             section="responsibilities", item_id=line["id"],
                             to_section="values", to_index=0)["content"]["values"][0]
    assert (moved["language"], moved["translation"]["text"]) == ("cy", TYPED_EN)


def test_versions_saved_before_lines_had_languages_still_load_and_export(app):
    room = BuildRoom()
    content = starting_outline("Navigator", "", "", "navigator")
    for section in SECTIONS:
        for item in content[section]:
            del item["language"], item["translation"]  # as saved before issue 13
    db.session.add(OutlineVersion(workshop_id=room.workshop_id, role_id=navigator(room), number=1,
                                  content=json.dumps(content), summary="Started", status="draft",
                                  saved_by_user_id=room.owner.id))
    db.session.commit()
    for language in MODES:
        items = json_items(export(room, "json", language).data)
        assert items and all(item["language"] == "en" and item["wordings"]["cy"] is None
                             for item in items)
    assert newest(room)["number"] == 1


def test_an_unknown_export_language_is_refused(bilingual):
    with pytest.raises(InvalidInput) as refused:
        export(bilingual, "json", "fr")
    assert refused.value.field == "language"


def test_the_export_form_and_the_language_query_parameter_choose_the_language(client, app):
    room = BuildRoom()
    room.start("Navigator")
    from ..web.test_auth_pages import sign_in

    sign_in(client, room.owner.email)
    base = f"/workshops/{room.workshop_id}/outlines"
    page = client.get(f"{base}/{navigator(room)}?lang=cy").get_data(as_text=True)
    assert 'name="language" type="radio" value="cy" checked' in page
    token = csrf_token(client, f"{base}/")
    by_form = client.post(f"{base}/export", data={"format": "json", "language": "both",
                                                  "csrf_token": token})
    assert json.loads(by_form.data)["language"] == "both"
    by_query = client.post(f"{base}/export?language=cy", data={"format": "json",
                                                                "csrf_token": token})
    assert json.loads(by_query.data)["language"] == "cy"
    assert by_query.headers["Content-Disposition"].endswith('-role-outlines-cy.json"')


def test_word_knows_the_language_of_each_line_side_by_side(bilingual):
    document = Document(io.BytesIO(export(bilingual, "docx", "both").data))
    languages = {cell.text: {element.get(qn("w:val")) for element in cell._tc.iter(qn("w:lang"))}
                 for table in document.tables for row in table.rows for cell in row.cells}
    assert languages[TYPED_CY] == {"cy-GB"} and languages[TYPED_EN] == {"en-GB"}
    assert languages[IDEA_CY] == {"cy-GB"} and languages[IDEA_EN] == {"en-GB"}
