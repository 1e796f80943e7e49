"""Short phrases every format uses, so the same facts read the same way everywhere, in Welsh,
in English, or in both side by side.

An export is made in one of three languages (`MODES`): "cy", "en", or "both" (Welsh beside
English). Inside `export_language(mode)` every phrase here reads in that language; in "both", a
phrase is a `Both`: "Cymraeg / English" as text, with each part kept for pages that mark each
part's language. Outside it (the outline page) phrases read in the page's language.

Each line of an outline is shown in the export's language where it has that wording, else in
the language it was first worded in, followed by a note saying so (never silently).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date as Date
from datetime import datetime
from functools import wraps

from flask_babel import format_date
from markupsafe import Markup, escape

from ..domain.i18n import _, ngettext
from ..domain.labels import (
    ASSESSMENT_LABELS,
    COMPETENCE_TYPE_LABELS,
    JOB_DETAIL_LABELS,
    NOT_DECIDED,
    NOT_VOTED,
    REQUIREMENT_LABELS,
    consensus_label,
)
from ..domain.outlines import CAREER_LEVELS
from ..language import HTML_LANG, LANGUAGES, NATIVE_NAMES, current_language, in_language

MODES = ("cy", "en", "both")
_mode: ContextVar[str | None] = ContextVar("export_language", default=None)

# Said after a line shown in the language it was first worded in, because it has no wording in
# the language asked for yet (each read in the language of the column it is in).
NO_WORDING = {"cy": _("(in English: no Welsh wording yet)"),
              "en": _("(in Welsh: no English wording yet)")}


@contextmanager
def export_language(mode: str):
    """Read every phrase inside in `mode`: "cy", "en" or "both"."""
    token = _mode.set(mode)
    try:
        if mode in LANGUAGES:
            with in_language(mode):
                yield
        else:
            yield
    finally:
        _mode.reset(token)


def mode() -> str:
    """The language being exported: "cy", "en" or "both" (the page's language outside one)."""
    return _mode.get() or current_language()


def text_languages() -> tuple[str, ...]:
    """The languages lines are shown in: one column each."""
    return LANGUAGES if mode() == "both" else (mode(),)


class Both(str):
    """A phrase in Welsh and English at once: "Cymraeg / English", each part kept in `parts`."""

    parts: dict

    def __new__(cls, parts: dict):
        both = super().__new__(cls, " / ".join(parts[code] for code in LANGUAGES))
        both.parts = parts
        return both


class Worded(str):
    """A line's wording, known to be in `lang`."""

    lang: str

    def __new__(cls, text: str, lang: str):
        worded = super().__new__(cls, text)
        worded.lang = lang
        return worded


def each_language(phrase):
    """A phrase-making function that, in "both", gives its phrase in Welsh and in English."""
    @wraps(phrase)
    def in_each(*args, **kwargs):
        if _mode.get() != "both":
            return phrase(*args, **kwargs)
        parts = {}
        for code in LANGUAGES:
            token = _mode.set(code)
            try:
                with in_language(code):
                    parts[code] = str(phrase(*args, **kwargs))
            finally:
                _mode.reset(token)
        return Both(parts) if parts["cy"] != parts["en"] else parts["en"]
    return in_each


@each_language
def say(message) -> str:
    """A marked message (or label) as text in the export's language."""
    return str(message)


def html(value) -> Markup:
    """A value for a page or the PDF, each part marked with its language (`lang`)."""
    if isinstance(value, Both):
        return Markup(" / ").join(Markup('<span lang="{}">{}</span>').format(HTML_LANG[code], part)
                                  for code, part in value.parts.items())
    if isinstance(value, Worded):
        return Markup('<span lang="{}">{}</span>').format(HTML_LANG[value.lang], value)
    return escape(value if value not in (None, "") else "—")


@each_language
def date(value) -> str:
    """A date as people write it: "29 November 2026", "29 Tachwedd 2026"."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    return format_date(value if isinstance(value, Date) else value.date(), "d MMMM yyyy")


def line_text(item: dict, language: str | None = None) -> Worded:
    """A line in `language` (the export's, or the first wording in "both"), else in its first
    language followed by a note that it has no wording in `language` yet."""
    language = language or (item["language"] if mode() == "both" else mode())
    if item["text_language"] == language:  # `text` is the one wording every format shows
        return Worded(item["text"], language)
    worded = item["wordings"].get(language)
    if worded:
        return Worded(worded, language)
    with in_language(language):
        return Worded(f"{own_wording(item)} {NO_WORDING[language]}", item["language"])


def own_wording(item: dict) -> str:
    """A line as worded now in the language it was first worded in."""
    if item["text_language"] == item["language"]:
        return item["text"]
    return item["wordings"].get(item["language"]) or item["text"]


def text_headers(label) -> list:
    """The header over a section's line column(s): its label, or the languages side by side."""
    if mode() == "both":
        return [NATIVE_NAMES[code] for code in LANGUAGES]
    return [say(label)]


def line_cells(item: dict) -> list:
    """A line's wording in each language shown, one cell each."""
    return [line_text(item, code) for code in text_languages()]


# A detail nobody chose reads "Not decided yet" in every format, never a default or a dash.


@each_language
def assessment(values) -> str:
    """How a line is assessed, in words."""
    return ", ".join(str(ASSESSMENT_LABELS[value]) for value in values or []) or str(NOT_DECIDED)


@each_language
def requirement(value) -> str:
    """Essential or desirable, in words."""
    return str(REQUIREMENT_LABELS.get(value, NOT_DECIDED))


@each_language
def competence_type(value) -> str:
    """Knowledge, skill or behaviour, in words."""
    return str(COMPETENCE_TYPE_LABELS.get(value, NOT_DECIDED))


@each_language
def competence_level(value) -> str:
    """A competence's Career Framework level, or that it is not decided yet."""
    return str(value) if value else str(NOT_DECIDED)


@each_language
def support(item: dict) -> str:
    """Support per group as one line: "Carer 80% (4 of 5) · Staff 40% (2 of 5)"."""
    if not item["support"]:
        return str(NOT_VOTED)
    return " · ".join(_group_support(g) for g in item["support"])


def _group_support(group: dict) -> str:
    figures = support_figures(group)
    return f"{group['group']} {figures}" if group["counted"] else f"{group['group']}: {figures}"


@each_language
def support_figures(group: dict, of: str | None = None) -> str:
    """One group's support: "80% (4 of 5)", or "too few voters (1)" when it is not counted."""
    helped = helper_note(group)
    if not group["counted"]:
        return str(_("too few voters (%(voters)s%(helped)s)", voters=group["voters"],
                     helped=helped))
    if of is not None:  # the CSV's compact "80% (4/5)"
        return f"{group['share']}% ({group['supporters']}{of}{group['voters']}{helped})"
    return str(_("%(share)s%% (%(supporters)s of %(voters)s%(helped)s)", share=group["share"],
                 supporters=group["supporters"], voters=group["voters"], helped=helped))


def helper_note(group: dict) -> str:
    """How many of a group's votes a helper entered for people on paper, or nothing."""
    count = group["entered_by_helper"]
    if not count:
        return ""
    return "; " + str(ngettext("%(count)s vote entered by a helper",
                               "%(count)s votes entered by a helper", count))


@each_language
def origin(item: dict) -> str:
    """Where a line came from, whose idea it was, and how it was first worded."""
    text = str(item["origin_label"])
    if item["proposed_by"] and item["origin"] != "evidence":  # the label already says whose
        text = str(_("%(origin)s (proposed by: %(groups)s)", origin=text,
                     groups=", ".join(item["proposed_by"])))
    if item["original_text"] and item["original_text"] != own_wording(item):
        text = str(_('%(origin)s. First worded: "%(wording)s"', origin=text,
                     wording=item["original_text"]))
    return text


@each_language
def result(item: dict) -> str:
    """How the room voted on a line: "Agreed in vote 1: Carer 100% (2 of 2) · …"."""
    if not item["consensus"]:
        return str(NOT_VOTED)
    return str(_("%(result)s in vote %(round)s: %(support)s",
                 result=consensus_label(item["consensus"]), round=item["vote_round"],
                 support=support(item)))


@each_language
def evidence(item: dict) -> str:
    """Origin and vote result together, as the outline page and PDF show them."""
    return f"{origin(item)}. {result(item)}."


def _detail_columns(key: str) -> tuple[list, list]:
    if key == "competences":
        return ([_("Type"), _("Level"), _("Essential or desirable"), _("How assessed")],
                [lambda i: competence_type(i["type"]), lambda i: competence_level(i["level"]),
                 lambda i: requirement(i["requirement"]), lambda i: assessment(i["assessment"])])
    if key == "person_spec":
        return ([_("Essential or desirable"), _("How assessed")],
                [lambda i: requirement(i["requirement"]), lambda i: assessment(i["assessment"])])
    return [], []


def _line_label(section: dict):
    return {"competences": _("Competence"), "person_spec": _("Requirement")}.get(
        section["key"], section["label"])


def section_table(section: dict) -> tuple[list, list[list]]:
    """A section as (headers, rows): its lines (one column per language shown), its own
    columns, then origin and support, in every format."""
    headers, cells = _detail_columns(section["key"])
    return ([*text_headers(_line_label(section)), *(say(h) for h in headers), say(_("Origin")),
             say(_("Support per group"))],
            [[*line_cells(i), *(cell(i) for cell in cells), origin(i), result(i)]
             for i in section["items"]])


def page_table(section: dict) -> tuple[list, list[list]]:
    """A section as the outline page and the PDF show it: origin and support as one column."""
    headers, cells = _detail_columns(section["key"])
    return ([*text_headers(_line_label(section)), *(say(h) for h in headers),
             say(_("Evidence"))],
            [[*line_cells(i), *(cell(i) for cell in cells), evidence(i)]
             for i in section["items"]])


def support_headers() -> list:
    """The headers of the statement's table of support per line."""
    return [say(_("Role")), say(_("Line")), say(_("Result")), say(_("Support per group"))]


def support_rows(statement: dict) -> list[list]:
    """The statement's support of each adopted line, per group, as table rows."""
    return [[s["role"], s["text"], say(consensus_label(s["consensus"])), support(s)]
            for s in statement["support"]]


def job_details(outline: dict) -> list[tuple]:
    """The job details in job-description order, as (label, value) rows."""
    details, label = outline["details"], JOB_DETAIL_LABELS
    level, band = details["career_level"], details["band"]
    return [
        (say(label["title"]), details["title"]),
        (say(label["setting"]), details["setting"] or "—"),
        (say(label["purpose"]), details["purpose"] or "—"),
        (_indicative(label["career_level"]), _level_value(level)),
        (_indicative(label["band"]), _band_value(band)),
        (say(label["reporting_lines"]), details["reporting_lines"] or "—"),
    ]


@each_language
def _indicative(label) -> str:
    return str(_("%(label)s (indicative, subject to job evaluation)", label=label))


@each_language
def _level_value(level) -> str:
    if not level:
        return str(_("Not set"))
    return f"{level}: {CAREER_LEVELS[level]}"


@each_language
def _band_value(band) -> str:
    return str(_("Band %(band)s", band=band)) if band else str(_("Not set"))


@each_language
def version_line(outline: dict) -> str:
    """Which version this is, and whether it is agreed (and, after a project's first session,
    which session made it)."""
    line = _version_status(outline)
    if outline.get("session_number", 1) > 1:
        return str(_("%(line)s Made in session %(number)s.", line=line,
                     number=outline["session_number"]))
    return line


def _version_status(outline: dict) -> str:
    if outline["status"] == "agreed":
        line = _("Version %(number)s. AGREED on %(date)s (signed off by %(name)s).",
                 number=outline["version"], date=date(outline["agreed_at"]),
                 name=outline["agreed_by"])
        if outline["agreed_note"]:
            return str(_("%(line)s Note: %(note)s", line=line, note=outline["agreed_note"]))
        return str(line)
    return str(_("Version %(number)s. DRAFT: not yet agreed by the workshop.",
                 number=outline["version"]))


@each_language
def title(workshop: dict) -> str:
    """The export's title."""
    return str(_("Role outlines: %(title)s", title=workshop["title"]))


@each_language
def held(workshop: dict) -> str:
    """When and where the workshop was held."""
    if workshop["venue"]:
        return str(_("Workshop held on %(date)s at %(venue)s.", date=date(workshop["held_on"]),
                     venue=workshop["venue"]))
    return str(_("Workshop held on %(date)s.", date=date(workshop["held_on"])))


@each_language
def made_with(document: dict) -> str:
    """What made the document, and when."""
    return str(_("Made with coprod, %(date)s.", date=date(document["generated_at"])))


def heading(message) -> str:
    """A fixed heading ("Co-production statement") in the export's language."""
    return say(message)


STATEMENT = _("Co-production statement")
SUPPORT_HEADING = _("Support for each adopted line, per group")
JOB_DETAILS = _("Job details")
NONE_YET = _("None yet.")


@each_language
def _participants(statement: dict) -> str:
    return "; ".join(
        str(_("%(group)s: %(count)s (%(paper)s on paper)", group=p["constituency"],
              count=p["count"], paper=p["on_paper"]) if p["on_paper"]
            else f"{p['constituency']}: {p['count']}")
        for p in statement["participants"]) or str(_("None"))


@each_language
def _cards(statement: dict) -> str:
    return "; ".join(
        str(_("%(group)s: %(count)s (%(helped)s entered by a helper)", group=c["constituency"],
              count=c["count"], helped=c["entered_by_helper"]) if c["entered_by_helper"]
            else f"{c['constituency']}: {c['count']}")
        for c in statement["cards_proposed"]) or str(_("None"))


@each_language
def _origins(statement: dict) -> str:
    return "; ".join(f"{o['label']}: {o['count']}" for o in statement["items_adopted"]["by_origin"])


@each_language
def _groups(statement: dict) -> str:
    return "; ".join(f"{g['constituency']}: {g['count']}"
                     for g in statement["items_adopted"]["by_constituency"]) or str(_("None"))


@each_language
def _divisive(statement: dict) -> str:
    return "; ".join(f"{d['role']}: {d['text']}" for d in statement["divisive"]) or str(_("None"))


@each_language
def _dates(statement: dict) -> str:
    dates = statement["dates"]
    return str(_("Workshop %(workshop)s; exported %(exported)s UTC",
                 workshop=date(dates["workshop"]),
                 exported=dates["exported"][:16].replace("T", " ")))


@each_language
def verify_text(workshop_id: int, head_seq: int, head_hash: str) -> str:
    """How to check the audit trail this export was made from."""
    return str(_("On the coprod server, run: flask --app coprod verify-audit --workshop "
                 "%(workshop)s. It recomputes every event's SHA-256 hash; the chain is intact "
                 "if it reports no problem and its head (event %(seq)s) has the hash %(hash)s.",
                 workshop=workshop_id, seq=head_seq, hash=head_hash))


def statement_lines(statement: dict) -> list[tuple]:
    """The co-production statement as (heading, text) rows."""
    return [
        (say(_("Participants per group")), _participants(statement)),
        (say(_("Ideas proposed per group")), _cards(statement)),
        (say(_("Lines adopted, by origin")), _origins(statement)),
        (say(_("Lines adopted from each group's ideas")), _groups(statement)),
        (say(_("Lines where groups differ (far apart)")), _divisive(statement)),
        (say(_("Dates")), _dates(statement)),
        (say(_("Audit trail")), statement["audit"]["verify"]),
    ]
