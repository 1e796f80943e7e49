"""Responsibilities and competences across roles: overlaps and gaps ("only do what only you can
do": a line in several roles is worth a second look; an agreed idea in no role is a gap)."""

from ..domain.cards import CardState
from ..models import Workshop
from .cards import cards_of
from .outlines import card_statuses, content_of, outline_roles

MATRIX_SECTIONS = ("responsibilities", "competences")


def _row_key(section: str, item: dict) -> tuple:
    # Lines from the same idea match across roles however they were reworded.
    if item.get("card_ids"):
        return section, "cards", tuple(sorted(item["card_ids"]))
    return section, "text", " ".join(item["text"].lower().split())


def role_matrix(workshop: Workshop) -> dict:
    """Rows of lines, columns of roles, and what overlaps or is missing."""
    roles = [(role, content_of(version)) for role, version in outline_roles(workshop.id)
             if version is not None]
    rows: dict[tuple, dict] = {}
    for role, content in roles:
        for section in MATRIX_SECTIONS:
            for item in content[section]:
                row = rows.setdefault(_row_key(section, item), {
                    "section": section, "text": item["text"], "card_ids": item["card_ids"],
                    "roles": []})
                if role.id not in row["roles"]:
                    row["roles"].append(role.id)
    ordered = sorted(rows.values(), key=lambda row: (row["section"], -len(row["roles"]),
                                                     row["text"].lower()))
    in_outlines = {card_id for row in ordered for card_id in row["card_ids"]}
    statuses = card_statuses(workshop)
    unplaced = [{"card_id": card.id, "text": card.text, "kind": card.kind}
                for card in cards_of(workshop.id, (CardState.VISIBLE.value,))
                if statuses.get(card.id, {}).get("status") == "agreed" and card.id not in in_outlines]
    return {
        "roles": [{"id": role.id, "title": role.title} for role, _ in roles],
        "rows": ordered,
        "overlaps": [row for row in ordered if len(row["roles"]) > 1],
        "agreed_not_placed": unplaced,
        "roles_missing": [{"id": role.id, "title": role.title, "sections": [
            section for section in MATRIX_SECTIONS if not content[section]]}
            for role, content in roles if any(not content[s] for s in MATRIX_SECTIONS)],
    }
