"""Export formats: each module turns the export document (coprod.services.documents) into bytes.

Every format carries the same content: the outlines, their evidence, and the co-production
statement.
"""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str
    mimetype: str
    render: Callable[[dict], bytes]


def formats() -> dict[str, Format]:
    """The formats coprod exports, by name."""
    from . import as_csv, as_docx, as_json, as_markdown, as_pdf

    return {fmt.name: fmt for fmt in (
        Format("pdf", "PDF", "pdf", "application/pdf", as_pdf.render),
        Format("docx", "Word (DOCX)", "docx",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               as_docx.render),
        Format("md", "Markdown", "md", "text/markdown; charset=utf-8", as_markdown.render),
        Format("csv", "CSV", "csv", "text/csv; charset=utf-8", as_csv.render),
        Format("json", "JSON", "json", "application/json", as_json.render),
    )}
