"""PDF export: the outline page's own template, printed by WeasyPrint."""

from pathlib import Path

from flask import render_template

from . import wording

PRINT_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "print.css"


def render(document: dict) -> bytes:
    """The export document as a PDF, from templates/outlines/print.html."""
    return print_pdf("outlines/print.html", document)


def print_pdf(template: str, document: dict) -> bytes:
    """A document printed by WeasyPrint from one of coprod's print templates."""
    try:
        from weasyprint import CSS, HTML
    except OSError as error:  # Pango is missing: a system package, not a Python one
        raise RuntimeError("PDF export needs Pango (apt-get install libpango-1.0-0).") from error
    html = render_template(template, document=document, wording=wording)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
