"""CSV export: one row per line of every outline (responsibilities, competences and the rest)
with its support in each group, then the co-production statement as rows of its own.

Column names are fixed keys (a spreadsheet or script finds them in any language); the values
read in the export's language. Each line has a column per language (`text_cy`, `text_en`, empty
where it has no wording yet) besides `text`, the wording in the export's language (or as first
worded, which `text_language` then says)."""

import csv
import io

from ..domain.labels import NOT_DECIDED
from ..domain.outlines import item_defaults
from . import wording

COLUMNS = ["record", "role", "version", "status", "section", "text", "text_language",
           "language", "text_cy", "text_en", "translated_by", "translated_at", "type", "level",
           "requirement", "assessment", "origin", "proposed_by", "card_ids", "consensus",
           "vote_round"]


def render(document: dict) -> bytes:
    """The export document as a CSV table (UTF-8 with a byte-order mark, so Excel reads it)."""
    groups = [p["constituency"] for p in document["statement"]["participants"]]
    support_columns = [f"support {group}" for group in groups]
    out = io.StringIO()
    fieldnames = COLUMNS + support_columns + ["statement"]
    # Every text field quoted, so a separator or line break inside typed text never starts a
    # cell; numbers (version, vote round) stay unquoted, so spreadsheets read them as numbers.
    writer = csv.DictWriter(out, fieldnames=fieldnames, restval="", lineterminator="\n",
                            quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow({name: inert(name) for name in fieldnames})
    for outline in document["outlines"]:
        for section in outline["sections"]:
            for item in section["items"]:
                writer.writerow(_inert_row(_item_row(outline, section, item)))
    for heading, text in wording.statement_lines(document["statement"]):
        writer.writerow(_inert_row({"record": "statement", "section": heading, "statement": text}))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): =, +, - and @
# first, or a tab or carriage return before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A cell a spreadsheet shows as text: typed text that could start a formula gets a leading
    single quote; numbers the export writes itself stay numbers."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_START):
        return "'" + value
    return value


def _inert_row(row: dict) -> dict:
    return {name: inert(value) for name, value in row.items()}


def _item_row(outline: dict, section: dict, item: dict) -> dict:
    row = {"record": "item", "role": outline["title"], "version": outline["version"],
           "status": outline["status"], "section": section["label"], "text": item["text"],
           "text_language": item["text_language"], "language": item["language"],
           "text_cy": item["wordings"]["cy"] or "", "text_en": item["wordings"]["en"] or "",
           "translated_by": item["translated_by"] or "", "translated_at": item["translated_at"] or "",
           "type": item["type"] or "", "level": item["level"] or "",
           "requirement": item["requirement"] or "",
           "assessment": "; ".join(item["assessment"] or []), "origin": item["origin_label"],
           **_undecided(section["key"], item),
           "proposed_by": "; ".join(item["proposed_by"]),
           "card_ids": " ".join(str(card) for card in item["card_ids"]),
           "consensus": item["consensus"] or "", "vote_round": item["vote_round"] or ""}
    for group in item["support"]:
        row[f"support {group['group']}"] = wording.support_figures(group, of="/")
    return row


def _undecided(section_key: str, item: dict) -> dict:
    """The details this section's lines have that nobody chose yet, as "Not decided yet" (the
    details a section does not have, like a responsibility's type, stay empty)."""
    return {name: wording.say(NOT_DECIDED) for name in item_defaults(section_key)
            if not item[name]}
