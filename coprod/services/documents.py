"""The document every export is made from: outlines with their evidence, and the co-production
statement (who took part, whose ideas were adopted, how each group supported them).

Built inside `wording.export_language(...)`, its labels read in the export's language ("cy",
"en", or both side by side), and each line carries its wording in Welsh and in English (None
where it has none yet) with who entered the translation and when."""

from collections import Counter

from sqlalchemy import case, func, select

from ..domain.clock import iso, utcnow
from ..domain.evidence import FROM_THE_EVIDENCE
from ..domain.i18n import _
from ..domain.labels import (
    FACILITATOR_GROUP,
    ORIGIN_LABELS,
    SECTION_LABELS,
    VERSION_STATUS_LABELS,
    consensus_label,
)
from ..domain.outlines import (
    CAREER_LEVELS,
    INDICATIVE,
    LANGUAGES,
    SECTIONS,
    line_language,
    translation_out_of_date,
    wording_in,
)
from ..exports import wording
from ..extensions import db
from ..models import Card, Constituency, OutlineVersion, Participant, Role, Workshop
from . import audit
from .accounts import display_name
from .cards import active_merges, cards_of, proposers
from .outlines import card_statuses, content_of
from .participants import group_names, in_group_order

# Where an adopted line came from. A line made only of seed ideas from the evidence pack is
# "From the evidence", its own origin: neither the room's nor the facilitator's.
EXPORT_ORIGIN_LABELS = {**ORIGIN_LABELS, "evidence": FROM_THE_EVIDENCE}


def build(workshop: Workshop, versions: list[tuple[Role, OutlineVersion]]) -> dict:
    """The full export document for these role outline versions of one workshop."""
    statuses = card_statuses(workshop)
    order = group_names(workshop.id)
    groups_of, from_evidence = _proposer_groups(workshop.id, order)
    names: dict = {}  # translators' names, each looked up once however many lines they wrote
    outlines = [_outline(role, version, statuses, (groups_of, from_evidence), order, names)
                for role, version in versions]
    head_seq, head_hash = audit.head(workshop.id)
    return {
        "format": "coprod-role-outlines", "format_version": 3, "language": wording.mode(),
        "generated_at": iso(utcnow()),
        "workshop": {"id": workshop.id, "title": workshop.title,
                     "held_on": workshop.held_on.isoformat(), "venue": workshop.venue},
        "outlines": outlines,
        "statement": _statement(workshop, outlines, order, head_seq, head_hash),
    }


def _proposer_groups(workshop_id: int, order: list[str]) -> tuple[dict[int, list[str]], set[int]]:
    """For each card: the groups of everyone whose idea it carries (merged ideas included);
    and the cards that carry only seed ideas from the evidence pack."""
    merges = active_merges(workshop_id)
    groups_of, from_evidence = {}, set()
    for card in cards_of(workshop_id, with_authors=True):
        carried = proposers(card, merges)
        groups_of[card.id] = in_group_order(map(_group_of, carried), order)
        if carried and all(source.evidence_item_id is not None for source in carried):
            from_evidence.add(card.id)
    return groups_of, from_evidence


def _group_of(card: Card) -> str:
    if card.evidence_item_id is not None:  # a seed idea: the evidence's, not the facilitator's
        return wording.say(FROM_THE_EVIDENCE)
    return card.participant.constituency.name if card.participant else wording.say(FACILITATOR_GROUP)


def line_origin(item: dict, from_evidence: set[int]) -> str:
    """A line's origin, as every count and export names it: a line from ideas whose every
    proposer is a seed idea of the evidence pack (`from_evidence`: those cards, merged ideas
    included) is "evidence"; one that also carries someone's idea stays "card"."""
    if item["origin"] == "card" and item["card_ids"] and \
            all(card_id in from_evidence for card_id in item["card_ids"]):
        return "evidence"
    return item["origin"]


def _outline(role: Role, version: OutlineVersion, statuses: dict, proposed: tuple[dict, set[int]],
             order: list[str], names: dict) -> dict:
    content = content_of(version)
    level = content.get("career_level")
    return {
        "role_id": role.id, "title": content["title"], "version": version.number,
        "status": version.status, "status_label": wording.say(VERSION_STATUS_LABELS[version.status]),
        "saved_at": iso(version.saved_at), "agreed_at": iso(version.agreed_at),
        "agreed_by": display_name(version.agreed_by_user_id), "agreed_note": version.agreed_note,
        "session_number": version.session_number,
        "details": {
            "title": content["title"], "setting": content["setting"],
            "purpose": content["purpose"], "career_level": level,
            "career_level_label": wording.say(CAREER_LEVELS[level]) if level else None,
            "band": content["band"], "indicative_note": wording.say(INDICATIVE),
            "reporting_lines": content["reporting_lines"]},
        "sections": [{"key": key, "label": wording.say(SECTION_LABELS[key]),
                      "items": [_item(item, statuses, proposed, order, names)
                                for item in content[key]]}
                     for key in SECTIONS],
    }


def _item(item: dict, statuses: dict, proposed: tuple[dict, set[int]], order: list[str],
          names: dict) -> dict:
    groups_of, from_evidence = proposed
    origin = line_origin(item, from_evidence)
    voted = next((statuses[card_id] for card_id in item["card_ids"] if card_id in statuses), None)
    wordings = {code: wording_in(item, code) for code in LANGUAGES}
    shown = wording.mode() if wordings.get(wording.mode()) else line_language(item)
    translation = item.get("translation") or {}
    return {
        # The line in the export's language where it has that wording, else as first worded.
        "text": wordings[shown], "text_language": shown, "language": line_language(item),
        "wordings": wordings, "translated_by": _translator(translation, names),
        "translated_at": translation.get("at"),
        "translation_out_of_date": translation_out_of_date(item),
        "origin": origin, "origin_label": wording.say(EXPORT_ORIGIN_LABELS[origin]),
        "original_text": item.get("original_text"),
        "type": item.get("type"), "level": item.get("level"),
        # None is "not decided yet" (no way of assessing it chosen: null, not an empty list).
        "requirement": item.get("requirement"), "assessment": item.get("assessment") or None,
        "card_ids": item["card_ids"],
        "proposed_by": in_group_order((group for card_id in item["card_ids"]
                                       for group in groups_of.get(card_id, [])), order),
        "consensus": voted["status"] if voted else None,
        "consensus_label": wording.say(consensus_label(voted["status"] if voted else None)),
        "vote_round": voted["round"] if voted else None,
        "support": [{"group": g["name"], "share": g["share"], "supporters": g["supporters"],
                     "voters": g["voters"], "counted": g["counted"],
                     "entered_by_helper": g["entered_by_helper"]}
                    for g in (voted["groups"] if voted else [])],
    }


def _translator(translation: dict, names: dict) -> str | None:
    """Who entered a line's other wording: a name, the catalogue's, or None (none, or unknown)."""
    if not translation:
        return None
    if translation.get("source") == "catalogue":
        return wording.say(_("The coprod catalogue"))
    user_id = translation.get("by_user_id")
    if user_id not in names:
        names[user_id] = display_name(user_id)
    return names[user_id]


def _statement(workshop: Workshop, outlines: list[dict], order: list[str], head_seq: int,
               head_hash: str) -> dict:
    items = [(outline, section, item) for outline in outlines for section in outline["sections"]
             for item in section["items"]]
    adopted_from_cards = [item for *_, item in items if item["origin"] == "card"]
    by_group = Counter(group for item in adopted_from_cards for group in item["proposed_by"])
    return {
        "participants": _participants(workshop.id),
        "cards_proposed": _cards_proposed(workshop.id, order),
        "items_adopted": {
            "by_origin": [{"origin": origin, "label": wording.say(EXPORT_ORIGIN_LABELS[origin]),
                           "count": sum(1 for *_, item in items if item["origin"] == origin)}
                          for origin in EXPORT_ORIGIN_LABELS],
            "by_constituency": [{"constituency": group, "count": by_group[group]}
                                for group in in_group_order(by_group, order)],
        },
        "support": [{"role": outline["title"], "section": section["label"],
                     "text": _statement_text(item),
                     "consensus": item["consensus"], "support": item["support"]}
                    for outline, section, item in items if item["consensus"]],
        "divisive": [{"role": outline["title"], "section": section["label"],
                      "text": _statement_text(item)}
                     for outline, section, item in items if item["consensus"] == "divisive"],
        "dates": {"workshop": workshop.held_on.isoformat(), "created": iso(workshop.created_at),
                  "closed": iso(workshop.closed_at), "exported": iso(utcnow())},
        "audit": {"chain": f"workshop:{workshop.id}", "head_seq": head_seq,
                  "head_hash": head_hash,
                  "verify": wording.verify_text(workshop.id, head_seq, head_hash)},
    }


def _statement_text(item: dict) -> str:
    """A line in the statement: in the export's language, or both wordings side by side."""
    if wording.mode() != "both":
        return item["text"]
    return " / ".join(str(wording.line_text(item, code)) for code in LANGUAGES)


def _participants(workshop_id: int) -> list[dict]:
    rows = db.session.execute(
        select(Constituency.name, func.count(Participant.id),
               func.coalesce(func.sum(Participant.on_paper.cast(db.Integer)), 0))
        .outerjoin(Participant, Participant.constituency_id == Constituency.id)
        .where(Constituency.workshop_id == workshop_id)
        .group_by(Constituency.id, Constituency.name, Constituency.position)
        .order_by(Constituency.position))
    return [{"constituency": name, "count": count, "on_paper": int(on_paper)}
            for name, count, on_paper in rows]


def _cards_proposed(workshop_id: int, order: list[str]) -> list[dict]:
    # Seed ideas count as the evidence's; other ideas with no participant are the facilitator's.
    group = case((Card.evidence_item_id.is_not(None), str(wording.say(FROM_THE_EVIDENCE))),
                 else_=func.coalesce(Constituency.name, str(wording.say(FACILITATOR_GROUP))))
    rows = db.session.execute(  # count() of a column skips NULLs: the cards a helper entered
        select(group, func.count(Card.id), func.count(Card.entered_by_user_id))
        .select_from(Card)
        .outerjoin(Participant, Participant.id == Card.participant_id)
        .outerjoin(Constituency, Constituency.id == Participant.constituency_id)
        .where(Card.workshop_id == workshop_id)
        .group_by(group))
    counts = {name: (count, helped) for name, count, helped in rows}
    return [{"constituency": name, "count": counts[name][0], "entered_by_helper": counts[name][1]}
            for name in in_group_order(counts, order)]
