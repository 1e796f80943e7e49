"""A project's record: what each session did, and a co-production statement for them all.

Per session: who took part from each group (and how many came back with a return code), the
ideas each group proposed by how they came in (phone, paper, facilitator, evidence pack), the
votes held, the outline lines first adopted there (by origin) and its audit chain's head. An
idea carried into a later session is counted once, in the session that first had it; an outline
line likewise; a carried copy of an outline version is listed once, in the session that made it.

The record is plain data (numbers, names, ISO dates, label Messages): the project page, the PDF
and the JSON export are all made from it.
"""

import json
from collections import Counter, defaultdict

from sqlalchemy import func, select

from ..domain.clock import iso, utcnow
from ..domain.evidence import FROM_THE_EVIDENCE
from ..domain.i18n import _
from ..domain.joincode import display_join_code
from ..domain.labels import ORIGIN_LABELS, VERSION_STATUS_LABELS
from ..domain.outlines import SECTIONS
from ..domain.phases import LABELS as PHASE_LABELS
from ..domain.phases import Phase
from ..domain.projects import is_overdue
from ..extensions import db
from ..models import (
    Card,
    Constituency,
    OutlineVersion,
    Participant,
    Project,
    Role,
    VoteRound,
    Workshop,
)
from . import audit
from .chain import chain_key
from .documents import line_origin
from .participants import group_names, in_group_order
from .projects import sessions_of

# How an idea came in: typed on a phone, entered by a helper for someone on paper, added by a
# facilitator, or a seed idea from the evidence pack.
IDEA_ORIGINS = ("phone", "paper", "facilitator", "evidence")
IDEA_ORIGIN_LABELS = {"phone": _("On a phone"), "paper": _("On paper, entered by a helper"),
                      "facilitator": _("Added by a facilitator"),
                      "evidence": FROM_THE_EVIDENCE}
# An outline line from a seed idea counts as its own origin (the evidence pack).
EVIDENCE_ORIGIN = "evidence"
LINE_ORIGIN_LABELS = {**ORIGIN_LABELS, EVIDENCE_ORIGIN: FROM_THE_EVIDENCE}


def record(project: Project, today) -> dict:
    """The project's record: its details, milestones, sessions, outline versions, statement."""
    sessions = sessions_of(project.id)
    ids = [session.id for session in sessions]
    lineage = _role_lineage(ids)
    versions = _versions(ids)
    seeds = _seed_card_ids(ids)
    adopted = _lines_first_adopted(sessions, versions, lineage, seeds)
    session_records = [_session(session, adopted[session.session_number]) for session in sessions]
    outlines = _outline_histories(versions, lineage, sessions)
    return {
        "project": {"id": project.id, "title": project.title, "purpose": project.purpose,
                    "population_need": project.population_need,
                    "target_per_group": project.target_per_group,
                    "created_at": iso(project.created_at)},
        "milestones": [{"id": m.id, "title": m.title, "due_on": m.due_on.isoformat(),
                        "done_on": m.done_on.isoformat() if m.done_on else None,
                        "overdue": is_overdue(m.due_on, m.done_on, today)}
                       for m in project.milestones],
        "sessions": session_records,
        "outlines": outlines,
        "statement": _statement(project, session_records),
        "idea_origins": IDEA_ORIGIN_LABELS,
    }


def _session(session: Workshop, lines_adopted: Counter) -> dict:
    order = group_names(session.id)
    head_seq, head_hash = audit.head(session.id)
    return {
        "number": session.session_number, "workshop_id": session.id, "title": session.title,
        "held_on": session.held_on.isoformat(), "venue": session.venue,
        "phase": session.phase, "phase_label": PHASE_LABELS[Phase(session.phase)],
        "join_code": display_join_code(session.join_code),
        "participants": _participants(session.id),
        "returning": _returning(session.id),
        "ideas": _ideas(session.id, order),
        "vote_rounds": db.session.scalar(select(func.count(VoteRound.id)).where(
            VoteRound.workshop_id == session.id)) or 0,
        "lines_adopted": [{"origin": origin, "label": LINE_ORIGIN_LABELS[origin],
                           "count": lines_adopted[origin]} for origin in LINE_ORIGIN_LABELS],
        "audit": {"chain": chain_key(session.id), "head_seq": head_seq, "head_hash": head_hash},
    }


def _participants(workshop_id: int) -> list[dict]:
    rows = db.session.execute(
        select(Constituency.name, func.count(Participant.id))
        .outerjoin(Participant, Participant.constituency_id == Constituency.id)
        .where(Constituency.workshop_id == workshop_id)
        .group_by(Constituency.id, Constituency.name, Constituency.position)
        .order_by(Constituency.position))
    return [{"group": name, "count": count} for name, count in rows]


def _returning(workshop_id: int) -> int:
    return db.session.scalar(select(func.count(Participant.id)).where(
        Participant.workshop_id == workshop_id, Participant.returned_from_id.is_not(None))) or 0


def _ideas(workshop_id: int, order: list[str]) -> dict:
    """Ideas first proposed in this session: per group by how they came in, and the rest."""
    rows = db.session.execute(
        select(Constituency.name, Participant.on_paper, Card.evidence_item_id.is_not(None),
               func.count(Card.id))
        .select_from(Card)
        .outerjoin(Participant, Participant.id == Card.participant_id)
        .outerjoin(Constituency, Constituency.id == Participant.constituency_id)
        .where(Card.workshop_id == workshop_id, Card.carried_from_id.is_(None))
        .group_by(Constituency.name, Participant.on_paper, Card.evidence_item_id.is_not(None)))
    by_group: dict[str, Counter] = defaultdict(Counter)
    others = Counter()
    for group, on_paper, seeded, count in rows:
        if seeded:
            others["evidence"] += count
        elif group is None:
            others["facilitator"] += count
        else:
            by_group[group]["paper" if on_paper else "phone"] += count
    carried = db.session.scalar(select(func.count(Card.id)).where(
        Card.workshop_id == workshop_id, Card.carried_from_id.is_not(None))) or 0
    groups = [{"group": name, "phone": by_group[name]["phone"], "paper": by_group[name]["paper"],
               "total": sum(by_group[name].values())}
              for name in in_group_order(set(order) | set(by_group), order)]
    return {"by_group": groups, "facilitator": others["facilitator"],
            "evidence": others["evidence"],
            "total": sum(g["total"] for g in groups) + sum(others.values()),
            "carried_forward": carried}


def _role_lineage(session_ids: list[int]) -> dict[int, int]:
    """Each role's first role: a role carried into a later session is the same role."""
    carried = dict(db.session.execute(select(Role.id, Role.carried_from_id).where(
        Role.workshop_id.in_(session_ids))).all())

    def first(role_id: int) -> int:
        seen = set()
        while carried.get(role_id) and role_id not in seen:
            seen.add(role_id)
            role_id = carried[role_id]
        return role_id

    return {role_id: first(role_id) for role_id in carried}


def _versions(session_ids: list[int]) -> list[tuple[OutlineVersion, Role]]:
    """Every outline version the project's sessions made (carried copies left out)."""
    return list(db.session.execute(
        select(OutlineVersion, Role).join(Role, Role.id == OutlineVersion.role_id)
        .where(OutlineVersion.workshop_id.in_(session_ids),
               OutlineVersion.carried_from_id.is_(None))
        .order_by(OutlineVersion.session_number, Role.position, OutlineVersion.number,
                  OutlineVersion.id)).tuples())


def _seed_card_ids(session_ids: list[int]) -> set[int]:
    return set(db.session.scalars(select(Card.id).where(
        Card.workshop_id.in_(session_ids), Card.evidence_item_id.is_not(None))))


def _line_origin(item: dict, seeds: set[int]) -> str:
    # The exports' rule (documents.line_origin), so the record and the exports agree.
    origin = line_origin(item, seeds)
    return origin if origin in LINE_ORIGIN_LABELS else "room"


def _lines_first_adopted(sessions: list[Workshop], versions, lineage: dict,
                         seeds: set[int]) -> dict[int, Counter]:
    """Per session number: the lines of each role's newest outline made in that session that
    no earlier session's outline had, counted by origin."""
    newest: dict[tuple[int, int], OutlineVersion] = {}
    for version, role in versions:  # in order, so the last one seen is the newest
        newest[lineage.get(role.id, role.id), version.session_number] = version
    adopted = {session.session_number: Counter() for session in sessions}
    seen: dict[int, set[str]] = defaultdict(set)  # line ids per role, across sessions
    for (role_key, number), version in sorted(newest.items(), key=lambda pair: pair[0][1]):
        for item in _items(version):
            if item.get("id") not in seen[role_key]:
                adopted.setdefault(number, Counter())[_line_origin(item, seeds)] += 1
            seen[role_key].add(item.get("id"))
    return adopted


def _items(version: OutlineVersion) -> list[dict]:
    content = json.loads(version.content)
    return [item for key in SECTIONS for item in content.get(key, [])]


def _outline_histories(versions, lineage: dict, sessions: list[Workshop]) -> list[dict]:
    """Each role's outline versions across the project, each with the session that made it."""
    titles = {session.session_number: session.title for session in sessions}
    by_role: dict[int, dict] = {}
    for version, role in versions:
        entry = by_role.setdefault(lineage.get(role.id, role.id),
                                   {"role": role.title, "versions": []})
        entry["role"] = role.title  # the newest session's title for it
        entry["versions"].append({
            "number": version.number, "status": version.status,
            "status_label": VERSION_STATUS_LABELS.get(version.status, version.status),
            "session_number": version.session_number,
            "session_title": titles.get(version.session_number, ""),
            "saved_at": iso(version.saved_at), "agreed_at": iso(version.agreed_at),
            "lines": len(_items(version))})
    return list(by_role.values())


def _statement(project: Project, sessions: list[dict]) -> dict:
    """The co-production statement for the whole project, naming each session's audit head."""
    people, ideas, order = Counter(), Counter(), []
    for session in sessions:
        for row in session["participants"]:
            people[row["group"]] += row["count"]
            order.append(row["group"])
        for row in session["ideas"]["by_group"]:
            ideas[row["group"]] += row["total"]
            order.append(row["group"])
    groups = list(dict.fromkeys(order))
    lines = Counter()
    for session in sessions:
        for row in session["lines_adopted"]:
            lines[row["origin"]] += row["count"]
    return {
        "sessions": len(sessions),
        # A person who came back with a return code is counted in each session they came to.
        "participants": [{"group": g, "count": people[g]} for g in groups],
        "returning": sum(session["returning"] for session in sessions),
        "ideas": [{"group": g, "count": ideas[g]} for g in groups],
        "ideas_facilitator": sum(s["ideas"]["facilitator"] for s in sessions),
        "ideas_evidence": sum(s["ideas"]["evidence"] for s in sessions),
        "vote_rounds": sum(session["vote_rounds"] for session in sessions),
        "lines_adopted": [{"origin": origin, "label": LINE_ORIGIN_LABELS[origin],
                           "count": lines[origin]} for origin in LINE_ORIGIN_LABELS],
        "audit_heads": [{"session": s["number"], "title": s["title"], **s["audit"]}
                        for s in sessions],
        "verify": {"command": f"flask --app coprod verify-audit --project {project.id}"},
        "made_at": iso(utcnow()),
    }
