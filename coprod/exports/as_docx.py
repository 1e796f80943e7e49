"""Word export: real headings and tables a health board can edit."""

import io

from docx import Document
from docx.shared import Pt

from . import wording


def render(document: dict) -> bytes:
    """The export document as a .docx file."""
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    workshop = document["workshop"]
    doc.core_properties.title = f"Role outlines: {workshop['title']}"[:255]  # Word's limit
    doc.add_heading(f"Role outlines: {workshop['title']}", level=0)
    doc.add_paragraph(f"Workshop held on {workshop['held_on']}"
                      + (f" at {workshop['venue']}" if workshop["venue"] else "") + ".")
    for outline in document["outlines"]:
        _outline(doc, outline)
    doc.add_heading("Co-production statement", level=1)
    _table(doc, ["", ""], wording.statement_lines(document["statement"]))
    if document["statement"]["support"]:
        doc.add_heading("Support for each adopted line, per group", level=2)
        _table(doc, wording.SUPPORT_HEADERS, wording.support_rows(document["statement"]))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _outline(doc, outline: dict) -> None:
    doc.add_heading(outline["title"], level=1)
    status = doc.add_paragraph()
    status.add_run(wording.version_line(outline)).bold = True
    doc.add_heading("Job details", level=2)
    _table(doc, ["", ""], wording.job_details(outline))
    for section in outline["sections"]:
        doc.add_heading(section["label"], level=2)
        if not section["items"]:
            doc.add_paragraph("None yet.")
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
    doc.add_paragraph()
