"""Short phrases every format uses, so the same facts read the same way everywhere."""


def assessment(values) -> str:
    """How a line is assessed, in words."""
    return ", ".join(values or []) or "—"


def requirement(value) -> str:
    return (value or "").capitalize() or "—"


def support(item: dict) -> str:
    """Support per group as one line: "Carer 80% (4 of 5) · Staff 40% (2 of 5)"."""
    if not item["support"]:
        return "Not voted on"
    return " · ".join(
        f"{g['group']} {g['share']}% ({g['supporters']} of {g['voters']})" if g["counted"]
        else f"{g['group']}: too few voters ({g['voters']})" for g in item["support"])


def job_details(outline: dict) -> list[tuple[str, str]]:
    """The job details in job-description order, as (label, value) rows."""
    details = outline["details"]
    level = details["career_level"]
    return [
        ("Job title", details["title"]),
        ("Setting", details["setting"] or "—"),
        ("Purpose", details["purpose"] or "—"),
        (f"Career Framework level ({details['indicative_note'].lower()})",
         f"{level}: {details['career_level_label']}" if level else "Not set"),
        (f"Agenda for Change band ({details['indicative_note'].lower()})",
         f"Band {details['band']}" if details["band"] else "Not set"),
        ("Reporting lines", details["reporting_lines"] or "—"),
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
    cards = "; ".join(f"{c['constituency']}: {c['count']}" for c in statement["cards_proposed"])
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
