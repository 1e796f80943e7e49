"""The evidence pack's rules: what an item needs, which uploads are taken, and how a stored PDF
is named when someone downloads it."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from .errors import InvalidInput
from .i18n import Message, _
from .text import clean_line

# What every PDF file starts with. The name and the type the browser declares are not trusted:
# a renamed Word file or a web page would otherwise be stored and handed out as a PDF.
PDF_SIGNATURE = b"%PDF-"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MEGABYTE = 1024 * 1024
KILOBYTE = 1024
# The one word for where a seed idea came from, in counts, exports and the live screens.
# Translators: where an idea came from: the project's evidence pack, not someone in the room.
FROM_THE_EVIDENCE = _("From the evidence")
NOT_A_PDF = _("That file is not a PDF. Please choose a PDF file.")
EMPTY_FILE = _("That file is empty. Please choose the PDF again.")
_UNSAFE_NAME = re.compile(r"[^\w .()-]+")


@dataclass(frozen=True)
class EvidenceDetails:
    """An item as typed on its form; `clean_item` checks and tidies it."""

    title: str
    summary: str = ""
    source: str = ""
    published_on: date | None = None
    url: str = ""


def clean_item(details: EvidenceDetails) -> EvidenceDetails:
    """The item tidied, or InvalidInput naming the box that needs a change."""
    return EvidenceDetails(
        title=clean_line(details.title, limit="evidence_title", field="title",
                         label=_("Title")),
        summary=clean_line(details.summary, limit="evidence_summary", field="summary",
                           label=_("Summary in plain words"), required=False),
        source=clean_line(details.source, limit="evidence_source", field="source",
                          label=_("Source"), required=False),
        published_on=_date(details.published_on),
        url=clean_url(details.url),
    )


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise InvalidInput(_("Please give the date, like 14/03/2027."), field="published_on")


def clean_url(value) -> str:
    """A web link (http or https only), or "" when none is given."""
    url = clean_line(value, limit="evidence_url", field="url", label=_("Link"), required=False)
    if not url:
        return ""
    parts = urlsplit(url)
    # Only web addresses: a javascript: or data: link would run in the reader's browser.
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise InvalidInput(_("Please give a web link that starts with https:// (or http://)."),
                           field="url")
    return url


def check_pdf(data: bytes, max_bytes: int) -> None:
    """Refuse an upload that is not a PDF (by its first bytes) or is larger than `max_bytes`."""
    if len(data) > max_bytes:
        raise InvalidInput(_("That file is %(size)s. The largest we can take is %(most)s.",
                             size=size_words(len(data)), most=size_words(max_bytes)),
                           field="file")
    if not data:
        raise InvalidInput(EMPTY_FILE, field="file")
    if not data.startswith(PDF_SIGNATURE):
        raise InvalidInput(NOT_A_PDF, field="file")


def size_words(size: int) -> Message:
    """A file size as people say it: "14 MB", "2.5 MB", "300 KB"."""
    if size >= MEGABYTE:
        megabytes = round(size / MEGABYTE, 1)
        # Translators: a file size in megabytes, e.g. "2.5 MB".
        return _("%(size)s MB", size=_number(megabytes))
    # Translators: a file size in kilobytes, e.g. "300 KB".
    return _("%(size)s KB", size=max(1, round(size / KILOBYTE)))


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def download_name(file_name: str | None, title: str) -> str:
    """A safe name to save a stored PDF as: the uploaded name (or the item's title) with only
    letters, digits, spaces and . ( ) - _, no folders, ending in .pdf."""
    base = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = base[:-4] if base.lower().endswith(".pdf") else base
    base = _UNSAFE_NAME.sub(" ", unicodedata.normalize("NFC", base or title))
    base = " ".join(base.split()).strip(" .")[:80] or "evidence"
    return f"{base}.pdf"
