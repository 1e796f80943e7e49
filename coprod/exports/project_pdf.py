"""A project's record as a PDF: templates/projects/print.html, printed by WeasyPrint."""

from .as_pdf import print_pdf


def render(document: dict) -> bytes:
    """The project export document as a PDF."""
    return print_pdf("projects/print.html", document)
