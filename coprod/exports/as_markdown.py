"""Markdown export: headings, the job details table, and each section as a table (in "both",
each line's Welsh and English in columns side by side)."""

import re

from . import wording

# A link someone typed, [words](address): kept as a link only when the address is http(s).
_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\(\s*([^()\s]*)\s*\)")
_SAFE_ADDRESS = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
# The characters that make Markdown do something inside a line (emphasis, code, links and
# images, strikethrough, escapes, table cells, a heading's closing #s); a backslash before each
# shows it as itself. Brackets escaped, parentheses and ! can make no link or image.
_ACTIVE = re.compile(r"([\\`*_\[\]~|#])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def plain(text) -> str:
    """Typed text as Markdown that shows exactly those characters: no HTML, no formatting, and
    links only to http(s) addresses (an image or any other link is shown as its text)."""
    text = str(text if text not in (None, "") else "—").replace("\n", " ")
    parts, start = [], 0
    for link in _LINK.finditer(text):
        parts.append(_literal(text[start:link.start()]))
        parts.append(_link(link))
        start = link.end()
    parts.append(_literal(text[start:]))
    return "".join(parts)


def _literal(text: str) -> str:
    text = _ACTIVE.sub(r"\\\1", text)
    return re.sub(r"[&<>]", lambda match: _HTML[match.group()], text)


def _link(link: re.Match) -> str:
    is_image, words, address = link.groups()
    if is_image or not _SAFE_ADDRESS.fullmatch(address):
        return _literal(link.group())
    return f"[{_literal(words)}]({_literal(address)})"


def _cell(text) -> str:
    return plain(text)


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) if h else "" for h in headers) + " |",
             "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines + [""]


def _section(section: dict) -> list[str]:
    lines = [f"### {section['label']}", ""]
    if not section["items"]:
        return lines + [plain(wording.heading(wording.NONE_YET)), ""]
    return lines + _table(*wording.section_table(section))


def render(document: dict) -> bytes:
    """The export document as a Markdown file."""
    workshop = document["workshop"]
    lines = [f"# {plain(wording.title(workshop))}", "", plain(wording.held(workshop)), ""]
    for outline in document["outlines"]:
        lines += [f"## {plain(outline['title'])}", "",
                  f"**{plain(wording.version_line(outline))}**", ""]
        lines += _table(["", ""], wording.job_details(outline))
        for section in outline["sections"]:
            lines += _section(section)
    lines += [f"## {plain(wording.heading(wording.STATEMENT))}", ""]
    lines += _table(["", ""], wording.statement_lines(document["statement"]))
    if document["statement"]["support"]:
        lines += [f"### {plain(wording.heading(wording.SUPPORT_HEADING))}", ""]
        lines += _table(wording.support_headers(), wording.support_rows(document["statement"]))
    return "\n".join(lines).encode("utf-8")
