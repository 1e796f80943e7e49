"""Word export: real headings and tables a health board can edit, in Welsh, English or both
(each line's Welsh and English in columns side by side)."""

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from . import wording

LANGUAGE_TAGS = {"cy": "cy-GB", "en": "en-GB", "both": "cy-GB, en-GB"}


def render(document: dict) -> bytes:
    """The export document as a .docx file."""
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    # Word's spelling checker and screen readers take the document's language from here.
    doc.core_properties.language = LANGUAGE_TAGS[document["language"]]
    workshop = document["workshop"]
    doc.core_properties.title = wording.title(workshop)[:255]  # Word's limit
    doc.add_heading(wording.title(workshop), level=0)
    doc.add_paragraph(wording.held(workshop))
    for outline in document["outlines"]:
        _outline(doc, outline)
    doc.add_heading(wording.heading(wording.STATEMENT), level=1)
    _table(doc, ["", ""], wording.statement_lines(document["statement"]))
    if document["statement"]["support"]:
        doc.add_heading(wording.heading(wording.SUPPORT_HEADING), level=2)
        _table(doc, wording.support_headers(), wording.support_rows(document["statement"]))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _outline(doc, outline: dict) -> None:
    doc.add_heading(outline["title"], level=1)
    status = doc.add_paragraph()
    status.add_run(wording.version_line(outline)).bold = True
    doc.add_heading(wording.heading(wording.JOB_DETAILS), level=2)
    _table(doc, ["", ""], wording.job_details(outline))
    for section in outline["sections"]:
        doc.add_heading(section["label"], level=2)
        if not section["items"]:
            doc.add_paragraph(wording.heading(wording.NONE_YET))
        else:
            _table(doc, *wording.section_table(section))


def _table(doc, headers: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value if value not in (None, "") else "—")
            if isinstance(value, wording.Worded):
                _language_of(cell, LANGUAGE_TAGS[value.lang])
    doc.add_paragraph()


def _language_of(cell, tag: str) -> None:
    """Tell Word (its spelling checker, a screen reader) which language a line is in."""
    for run in cell.paragraphs[0].runs:
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), tag)
        run._r.get_or_add_rPr().append(language)
