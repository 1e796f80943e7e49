"""Role outlines: their content in the order an NHS job description uses, the changes the
builder makes (each one a new version), and how two versions differ."""

import copy
import secrets
from dataclasses import dataclass

from .errors import InvalidInput, NotFound
from .labels import JOB_DETAIL_LABELS, SECTION_LABELS
from .text import clean_line

# The sections that hold items, in job-description order.
SECTIONS = ("responsibilities", "competences", "person_spec", "values")
FIELDS = ("title", "setting", "purpose", "career_level", "band", "reporting_lines")
INDICATIVE = "Indicative, subject to job evaluation"

CAREER_LEVELS = {
    1: "Initial entry level jobs", 2: "Support workers", 3: "Senior healthcare assistants",
    4: "Assistant practitioners", 5: "Practitioners (registered)", 6: "Senior practitioners",
    7: "Advanced practitioners", 8: "Consultant practitioners", 9: "More senior staff",
}
BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")
COMPETENCE_TYPES = ("knowledge", "skill", "behaviour")
REQUIREMENTS = ("essential", "desirable")
ASSESSMENTS = ("application", "interview", "reference", "certificate", "observed practice")
ORIGINS = ("card", "room", "template")
MAX_ITEMS = 80
# Each typed job detail's length limit (coprod.domain.text.LIMITS); the title is required.
TEXT_FIELD_LIMITS = {"title": "role_title", "setting": "role_setting", "purpose": "outline_purpose",
                     "reporting_lines": "reporting_lines"}


def blank_outline(title: str, setting: str = "", purpose: str = "") -> dict:
    """An empty outline for a role, ready to be built."""
    return {"title": title, "setting": setting, "purpose": purpose, "career_level": None,
            "band": None, "reporting_lines": "", **{section: [] for section in SECTIONS}}


@dataclass(frozen=True)
class Change:
    """A builder change: the new content and a one-line summary for the version list."""
    content: dict
    summary: str


def _new_id() -> str:
    return secrets.token_hex(4)


def _line_text(text) -> str:
    return clean_line(text, limit="outline_line", field="text", label="The wording")


def _section(section) -> str:
    if section not in SECTIONS:
        raise InvalidInput("We do not know that part of the outline.", field="section")
    return section


def _find(content: dict, section: str, item_id) -> tuple[int, dict]:
    for index, item in enumerate(content[_section(section)]):
        if item["id"] == item_id:
            return index, item
    raise NotFound("We could not find that line in the outline. It may have been removed.",
                   field="item_id")


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def item_defaults(section: str) -> dict:
    """The extra fields an item has in each section, all "not decided yet" (None or no
    assessment) until someone chooses: a guessed default would read as a decision in exports."""
    if section == "competences":
        return {"type": None, "level": None, "requirement": None, "assessment": []}
    if section == "person_spec":
        return {"requirement": None, "assessment": []}
    return {}


def sign_off_needs(content: dict) -> list[str]:
    """What must change before this outline can be signed off, as plain sentences (none: ready).

    Only responsibilities are required: details nobody decided yet (a competence's type, say)
    do not block a sign-off, and a lead can settle them in a later draft."""
    needs = []
    if not content.get("responsibilities"):
        needs.append("Add at least one responsibility.")
    return needs


def add_item(content: dict, section: str, text, origin: str, card_ids=(), position=None) -> Change:
    """Add a line from a card (keeping the link to it) or typed in the room."""
    section = _section(section)
    if origin not in ORIGINS:
        raise InvalidInput("We do not know where that line came from.", field="origin")
    new = copy.deepcopy(content)
    if len(new[section]) >= MAX_ITEMS:
        raise InvalidInput(f"A section can hold up to {MAX_ITEMS} lines.", field="section")
    text = _line_text(text)
    item = {"id": _new_id(), "text": text, "origin": origin, "card_ids": list(card_ids),
            "original_text": text, **item_defaults(section)}
    index = len(new[section]) if position is None else max(0, min(int(position), len(new[section])))
    new[section].insert(index, item)
    source = "from an idea" if origin == "card" else "typed in the room"
    return Change(new, f"Added to {SECTION_LABELS[section].lower()} ({source}): {_short(text)}")


def remove_item(content: dict, section: str, item_id) -> Change:
    """Take a line out of the outline (its card stays where it was)."""
    new = copy.deepcopy(content)
    index, item = _find(new, section, item_id)
    del new[section][index]
    return Change(new, f"Removed from {SECTION_LABELS[section].lower()}: {_short(item['text'])}")


def move_item(content: dict, section: str, item_id, to_section: str, to_index) -> Change:
    """Reorder a line, or move it to another section."""
    new = copy.deepcopy(content)
    index, item = _find(new, section, item_id)
    to_section = _section(to_section)
    if not isinstance(to_index, int) or isinstance(to_index, bool):
        raise InvalidInput("Please say where the line should go.", field="to_index")
    del new[section][index]
    if to_section != section:
        item = {key: value for key, value in item.items()
                if key in ("id", "text", "origin", "card_ids", "original_text")}
        item.update(item_defaults(to_section))
    new[to_section].insert(max(0, min(to_index, len(new[to_section]))), item)
    where = (f"moved to {SECTION_LABELS[to_section].lower()}" if to_section != section
             else f"moved to position {min(to_index, len(new[to_section]) - 1) + 1}")
    return Change(new, f"{_short(item['text'])}: {where}")


def update_item(content: dict, section: str, item_id, changes: dict) -> Change:
    """Reword a line or set its details (type, level, essential or desirable, how assessed)."""
    new = copy.deepcopy(content)
    _, item = _find(new, section, item_id)
    allowed = {"text"} | set(item_defaults(section))
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput("That detail does not belong to this line.", field=sorted(unknown)[0])
    described = []
    for name, value in changes.items():
        cleaned = _clean_detail(name, value)
        if item.get(name) != cleaned:
            described.append("reworded" if name == "text" else f"{name} set")
            item[name] = cleaned
    return Change(new, f"{_short(item['text'])}: {', '.join(described) or 'no change'}")


def _clean_detail(name: str, value):
    if name == "text":
        return _line_text(value)
    if name == "type":
        return _undecided_or(value, COMPETENCE_TYPES, "type", "knowledge, skill or behaviour")
    if name == "requirement":
        return _undecided_or(value, REQUIREMENTS, "requirement", "essential or desirable")
    if name == "level":
        return _level(value, "level", "Please choose a level for this competence from 1 to 9.")
    if name == "assessment":
        # No box ticked means "not decided yet": it is never filled in with a default.
        if not isinstance(value, list) or any(a not in ASSESSMENTS for a in value):
            raise InvalidInput("Please choose how it is assessed from the list.", field="assessment")
        return [a for a in ASSESSMENTS if a in value]
    raise InvalidInput("That detail does not belong to this line.", field=name)


def _undecided_or(value, options, field: str, words: str):
    # A blank choice stays "not decided yet" (None); it never becomes one of the options.
    if value in (None, ""):
        return None
    return _choice(value, options, field, words)


def _choice(value, options, field: str, words: str):
    if value not in options:
        raise InvalidInput(f"Please choose {words}.", field=field)
    return value


def _level(value, field: str, message: str):
    # Competence levels and the role's level share the scale, but each error names its own field.
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in CAREER_LEVELS:
        raise InvalidInput(message, field=field)
    return value


def update_fields(content: dict, changes: dict) -> Change:
    """Change the job details: title, setting, purpose, level, band, reporting lines."""
    new = copy.deepcopy(content)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InvalidInput("That is not part of the job details.", field=sorted(unknown)[0])
    described = []
    for name, value in changes.items():
        cleaned = _clean_field(name, value)
        if new.get(name) != cleaned:
            new[name] = cleaned
            described.append(JOB_DETAIL_LABELS[name].lower())
    return Change(new, f"Changed {', '.join(described)}" if described else "No change")


def _clean_field(name: str, value):
    if name == "career_level":
        return _level(value, "career_level", "Please choose a Career Framework level from 1 to 9.")
    if name == "band":
        if value in (None, ""):
            return None
        return _choice(value, BANDS, "band", "an Agenda for Change band")
    return clean_line(value, limit=TEXT_FIELD_LIMITS[name], field=name,
                      label=f"The {JOB_DETAIL_LABELS[name].lower()}", required=name == "title")


def diff(before: dict, after: dict) -> dict:
    """What changed between two versions: fields, and items added, removed or reworded."""
    fields = [{"field": name, "label": JOB_DETAIL_LABELS[name], "before": before.get(name),
               "after": after.get(name)} for name in FIELDS if before.get(name) != after.get(name)]
    sections = {}
    for section in SECTIONS:
        old = {item["id"]: item for item in before.get(section, [])}
        new = {item["id"]: item for item in after.get(section, [])}
        sections[section] = {
            "added": [new[key] for key in new if key not in old],
            "removed": [old[key] for key in old if key not in new],
            "reworded": [{"before": old[key]["text"], "after": new[key]["text"], "id": key}
                         for key in new if key in old and old[key]["text"] != new[key]["text"]],
            "changed": [new[key] for key in new if key in old and old[key]["text"] == new[key]["text"]
                        and old[key] != new[key]],
        }
    return {"fields": fields, "sections": sections,
            "unchanged": not fields and not any(any(part.values()) for part in sections.values())}


def item_count(content: dict) -> int:
    """How many lines the outline has in all its sections."""
    return sum(len(content.get(section, [])) for section in SECTIONS)
