"""Short phrases every format uses, so the same facts read the same way everywhere."""

from ..domain.labels import (
    ASSESSMENT_LABELS,
    COMPETENCE_TYPE_LABELS,
    JOB_DETAIL_LABELS,
    NOT_DECIDED,
    NOT_VOTED,
    REQUIREMENT_LABELS,
    consensus_label,
)

# A detail nobody chose reads "Not decided yet" in every format, never a default or a dash.


def assessment(values) -> str:
    """How a line is assessed, in words."""
    return ", ".join(ASSESSMENT_LABELS[value] for value in values or []) or NOT_DECIDED


def requirement(value) -> str:
    """Essential or desirable, in words."""
    return REQUIREMENT_LABELS.get(value, NOT_DECIDED)


def competence_type(value) -> str:
    """Knowledge, skill or behaviour, in words."""
    return COMPETENCE_TYPE_LABELS.get(value, NOT_DECIDED)


def competence_level(value) -> str:
    """A competence's Career Framework level, or that it is not decided yet."""
    return str(value) if value else NOT_DECIDED


def support(item: dict) -> str:
    """Support per group as one line: "Carer 80% (4 of 5) · Staff 40% (2 of 5)"."""
    if not item["support"]:
        return NOT_VOTED
    return " · ".join(_group_support(g) for g in item["support"])


def _group_support(group: dict) -> str:
    figures = support_figures(group)
    return f"{group['group']} {figures}" if group["counted"] else f"{group['group']}: {figures}"


def support_figures(group: dict, of: str = " of ") -> str:
    """One group's support: "80% (4 of 5)", or "too few voters (1)" when it is not counted."""
    helped = helper_note(group)
    if not group["counted"]:
        return f"too few voters ({group['voters']}{helped})"
    return f"{group['share']}% ({group['supporters']}{of}{group['voters']}{helped})"


def helper_note(group: dict) -> str:
    """How many of a group's votes a helper entered for people on paper, or nothing."""
    count = group["entered_by_helper"]
    if not count:
        return ""
    return f"; {count} vote{'' if count == 1 else 's'} entered by a helper"


def origin(item: dict) -> str:
    """Where a line came from, whose idea it was, and how it was first worded."""
    text = item["origin_label"]
    if item["proposed_by"]:
        text += f" (proposed by: {', '.join(item['proposed_by'])})"
    if item["original_text"] and item["original_text"] != item["text"]:
        text += f'. First worded: "{item["original_text"]}"'
    return text


def result(item: dict) -> str:
    """How the room voted on a line: "Agreed in vote 1: Carer 100% (2 of 2) · …"."""
    if not item["consensus"]:
        return NOT_VOTED
    return f"{item['consensus_label']} in vote {item['vote_round']}: {support(item)}"


def evidence(item: dict) -> str:
    """Origin and vote result together, as the outline page and PDF show them."""
    return f"{origin(item)}. {result(item)}."


def section_table(section: dict) -> tuple[list[str], list[list]]:
    """A section as (headers, rows): its own columns, then origin and support, in every format."""
    key, items = section["key"], section["items"]
    if key == "competences":
        headers = ["Competence", "Type", "Level", "Essential or desirable", "How assessed"]
        rows = [[i["text"], competence_type(i["type"]), competence_level(i["level"]),
                 requirement(i["requirement"]), assessment(i["assessment"])] for i in items]
    elif key == "person_spec":
        headers = ["Requirement", "Essential or desirable", "How assessed"]
        rows = [[i["text"], requirement(i["requirement"]), assessment(i["assessment"])]
                for i in items]
    else:
        headers, rows = [section["label"]], [[i["text"]] for i in items]
    return (headers + ["Origin", "Support per group"],
            [row + [origin(i), result(i)] for row, i in zip(rows, items, strict=True)])


SUPPORT_HEADERS = ["Role", "Line", "Result", "Support per group"]


def support_rows(statement: dict) -> list[list[str]]:
    """The statement's support of each adopted line, per group, as table rows."""
    return [[s["role"], s["text"], consensus_label(s["consensus"]), support(s)]
            for s in statement["support"]]


def job_details(outline: dict) -> list[tuple[str, str]]:
    """The job details in job-description order, as (label, value) rows."""
    details, label = outline["details"], JOB_DETAIL_LABELS
    level = details["career_level"]
    indicative = f"({details['indicative_note'].lower()})"
    return [
        (label["title"], details["title"]),
        (label["setting"], details["setting"] or "—"),
        (label["purpose"], details["purpose"] or "—"),
        (f"{label['career_level']} {indicative}",
         f"{level}: {details['career_level_label']}" if level else "Not set"),
        (f"{label['band']} {indicative}", f"Band {details['band']}" if details["band"] else "Not set"),
        (label["reporting_lines"], details["reporting_lines"] or "—"),
    ]


def version_line(outline: dict) -> str:
    """Which version this is, and whether it is agreed."""
    if outline["status"] == "agreed":
        note = f" Note: {outline['agreed_note']}" if outline["agreed_note"] else ""
        return (f"Version {outline['version']}. AGREED on {outline['agreed_at'][:10]} "
                f"(signed off by {outline['agreed_by']}).{note}")
    return f"Version {outline['version']}. DRAFT: not yet agreed by the workshop."


def statement_lines(statement: dict) -> list[tuple[str, str]]:
    """The co-production statement as (heading, text) rows."""
    participants = "; ".join(
        f"{p['constituency']}: {p['count']}" + (f" ({p['on_paper']} on paper)" if p["on_paper"] else "")
        for p in statement["participants"])
    cards = "; ".join(f"{c['constituency']}: {c['count']}" + (
        f" ({c['entered_by_helper']} entered by a helper)" if c["entered_by_helper"] else "")
        for c in statement["cards_proposed"])
    origins = "; ".join(f"{o['label']}: {o['count']}" for o in statement["items_adopted"]["by_origin"])
    groups = "; ".join(f"{g['constituency']}: {g['count']}"
                       for g in statement["items_adopted"]["by_constituency"]) or "None"
    divisive = "; ".join(f"{d['role']}: {d['text']}" for d in statement["divisive"]) or "None"
    dates = statement["dates"]
    return [
        ("Participants per group", participants or "None"),
        ("Ideas proposed per group", cards or "None"),
        ("Lines adopted, by origin", origins),
        ("Lines adopted from each group's ideas", groups),
        ("Divisive lines (groups far apart)", divisive),
        ("Dates", f"Workshop {dates['workshop']}; exported {dates['exported'][:16].replace('T', ' ')} UTC"),
        ("Audit trail", statement["audit"]["verify"]),
    ]
