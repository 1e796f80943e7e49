"""Markdown export: headings, the job details table, and each section as a table."""

from . import wording


def _cell(text) -> str:
    return str(text if text not in (None, "") else "—").replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines + [""]


def _section(section: dict) -> list[str]:
    lines = [f"### {section['label']}", ""]
    if not section["items"]:
        return lines + ["None yet.", ""]
    return lines + _table(*wording.section_table(section))


def render(document: dict) -> bytes:
    """The export document as a Markdown file."""
    workshop = document["workshop"]
    lines = [f"# Role outlines: {workshop['title']}", "",
             f"Workshop held on {workshop['held_on']}"
             + (f" at {workshop['venue']}" if workshop["venue"] else "") + ".", ""]
    for outline in document["outlines"]:
        lines += [f"## {outline['title']}", "", f"**{wording.version_line(outline)}**", ""]
        lines += _table(["", ""], wording.job_details(outline))
        for section in outline["sections"]:
            lines += _section(section)
    lines += ["## Co-production statement", ""]
    lines += _table(["", ""], wording.statement_lines(document["statement"]))
    if document["statement"]["support"]:
        lines += ["### Support for each adopted line, per group", ""]
        lines += _table(wording.SUPPORT_HEADERS, wording.support_rows(document["statement"]))
    return "\n".join(lines).encode("utf-8")
