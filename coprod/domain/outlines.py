"""Role outlines: their content in the order an NHS job description uses, the changes the
builder makes (each one a new version), and how two versions differ.

Each line (an item of a section) is kept in the language it was first worded in, and can carry
its wording in the other language (Welsh or English) with who entered it and when:

    {"id": ..., "text": "Helps people find support", "language": "en",
     "translation": {"language": "cy", "text": "Yn helpu pobl i ddod o hyd i gymorth",
                     "of": "Helps people find support", "by_user_id": 3,
                     "at": "2026-11-29T08:00:00Z", "source": "builder"}, ...}

`of` is the wording it translates: when the line is reworded, the translation is out of date and
is no longer shown (it stays, so the builder can offer it to update). Versions saved before
lines had languages have neither key: they read as English with no translation.
"""

import copy
import secrets
from dataclasses import dataclass

from .errors import InvalidInput, NotFound
from .i18n import Message, _
from .labels import JOB_DETAIL_LABELS
from .text import clean_line

# The sections that hold items, in job-description order.
SECTIONS = ("responsibilities", "competences", "person_spec", "values")
FIELDS = ("title", "setting", "purpose", "career_level", "band", "reporting_lines")
INDICATIVE = _("Indicative, subject to job evaluation")

CAREER_LEVELS = {
    1: _("Initial entry level jobs"), 2: _("Support workers"), 3: _("Senior healthcare assistants"),
    4: _("Assistant practitioners"), 5: _("Practitioners (registered)"),
    6: _("Senior practitioners"), 7: _("Advanced practitioners"),
    8: _("Consultant practitioners"), 9: _("More senior staff"),
}
BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")
COMPETENCE_TYPES = ("knowledge", "skill", "behaviour")
REQUIREMENTS = ("essential", "desirable")
ASSESSMENTS = ("application", "interview", "reference", "certificate", "observed practice")
ORIGINS = ("card", "room", "template")
MAX_ITEMS = 80
# The languages a line can be worded in; a line without one was worded in English.
LANGUAGES = ("cy", "en")
OLD_LANGUAGE = "en"
# Where a translation came from: the idea the line was made from, the builder, or the catalogue
# (a template's lines come with the catalogue's Welsh).
TRANSLATION_SOURCES = ("card", "builder", "catalogue")
# Each typed job detail's length limit (coprod.domain.text.LIMITS); the title is required.
TEXT_FIELD_LIMITS = {"title": "role_title", "setting": "role_setting", "purpose": "outline_purpose",
                     "reporting_lines": "reporting_lines"}
# How an error names each typed job detail ("The purpose can be up to 400 characters.").
TEXT_FIELD_NAMES = {"title": _("The job title"), "setting": _("The setting"),
                    "purpose": _("The purpose"), "reporting_lines": _("The reporting lines")}

# One sentence per section for the version list, written out whole (a section's name is never
# glued into a sentence: Welsh changes the first letter of a word after some words).
ADDED_FROM_IDEA = {
    "responsibilities": _("Added to key responsibilities from an idea: %(text)s"),
    "competences": _("Added to competences from an idea: %(text)s"),
    "person_spec": _("Added to the person specification from an idea: %(text)s"),
    "values": _("Added to values from an idea: %(text)s"),
}
ADDED_IN_ROOM = {
    "responsibilities": _("Added to key responsibilities, typed in the room: %(text)s"),
    "competences": _("Added to competences, typed in the room: %(text)s"),
    "person_spec": _("Added to the person specification, typed in the room: %(text)s"),
    "values": _("Added to values, typed in the room: %(text)s"),
}
REMOVED_FROM = {
    "responsibilities": _("Removed from key responsibilities: %(text)s"),
    "competences": _("Removed from competences: %(text)s"),
    "person_spec": _("Removed from the person specification: %(text)s"),
    "values": _("Removed from values: %(text)s"),
}
MOVED_TO = {
    "responsibilities": _("%(text)s: moved to key responsibilities"),
    "competences": _("%(text)s: moved to competences"),
    "person_spec": _("%(text)s: moved to the person specification"),
    "values": _("%(text)s: moved to values"),
}
WORDING_ADDED = {"cy": _("%(text)s: Welsh wording saved"),
                 "en": _("%(text)s: English wording saved")}
WORDING_REMOVED = {"cy": _("%(text)s: Welsh wording taken out"),
                   "en": _("%(text)s: English wording taken out")}


def blank_outline(title: str, setting: str = "", purpose: str = "") -> dict:
    """An empty outline for a role, ready to be built."""
    return {"title": title, "setting": setting, "purpose": purpose, "career_level": None,
            "band": None, "reporting_lines": "", **{section: [] for section in SECTIONS}}


@dataclass(frozen=True)
class Change:
    """A builder change: the new content and a one-line summary for the version list.

    The summary is kept as text in the language of the person who made the change, like
    anything typed (the version list shows it as it was written)."""
    content: dict
    summary: str

    def __post_init__(self):
        object.__setattr__(self, "summary", str(self.summary))


def _with(message: Message, **values) -> Message:
    """One of the sentences above, with its values filled in."""
    return Message(message.msgid, **values)


def _new_id() -> str:
    return secrets.token_hex(4)


def _line_text(text, field: str = "text") -> str:
    return clean_line(text, limit="outline_line", field=field, label=_("The wording"))


def _section(section) -> str:
    if section not in SECTIONS:
        raise InvalidInput(_("We do not know that part of the outline."), field="section")
    return section


def _find(content: dict, section: str, item_id) -> tuple[int, dict]:
    for index, item in enumerate(content[_section(section)]):
        if item["id"] == item_id:
            return index, item
    raise NotFound(_("We could not find that line in the outline. It may have been removed."),
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
    """The keys of what must change before this outline can be signed off (none: ready); the
    words for each are labels.SIGN_OFF_NEEDS.

    Only responsibilities are required: details nobody decided yet (a competence's type, say)
    do not block a sign-off, and a lead can settle them in a later draft."""
    return [] if content.get("responsibilities") else ["responsibility"]


def add_item(content: dict, section: str, text, origin: str, card_ids=(), position=None,
             language: str = OLD_LANGUAGE, translation: dict | None = None) -> Change:
    """Add a line from a card (keeping the link to it) or typed in the room, worded in
    `language`, with its wording in the other language when there is one (`new_translation`)."""
    section = _section(section)
    if origin not in ORIGINS:
        raise InvalidInput(_("We do not know where that line came from."), field="origin")
    new = copy.deepcopy(content)
    if len(new[section]) >= MAX_ITEMS:
        raise InvalidInput(_("A section can hold up to %(count)s lines.", count=MAX_ITEMS),
                           field="section")
    text = _line_text(text)
    item = {"id": _new_id(), "text": text, "origin": origin, "card_ids": list(card_ids),
            "original_text": text, "language": _language(language), "translation": None,
            **item_defaults(section)}
    if translation and translation.get("text") and translation["language"] != item["language"]:
        item["translation"] = {**translation, "of": text}
    index = len(new[section]) if position is None else max(0, min(int(position), len(new[section])))
    new[section].insert(index, item)
    sentence = ADDED_FROM_IDEA if origin == "card" else ADDED_IN_ROOM
    return Change(new, _with(sentence[section], text=_short(text)))


def _language(language) -> str:
    if language not in LANGUAGES:
        raise InvalidInput(_("Please choose Welsh or English."), field="language")
    return language


def new_translation(language: str, text: str, of: str, by_user_id: int | None, at: str | None,
                    source: str) -> dict:
    """A line's wording in `language` (the other language than its own): who entered it, when."""
    return {"language": language, "text": text, "of": of, "by_user_id": by_user_id, "at": at,
            "source": source}


def line_language(item: dict) -> str:
    """The language a line was first worded in (lines saved before languages: English)."""
    return item.get("language") or OLD_LANGUAGE


def other_language(language: str) -> str:
    """Welsh for English, English for Welsh."""
    return "en" if language == "cy" else "cy"


def current_translation(item: dict) -> dict | None:
    """The line's wording in its other language, if it translates the line as worded now."""
    translation = item.get("translation")
    if translation and translation.get("text") and translation.get("of") == item["text"]:
        return translation
    return None


def translation_out_of_date(item: dict) -> bool:
    """Whether the line was reworded after its other wording was entered."""
    return bool(item.get("translation")) and current_translation(item) is None


def wording_in(item: dict, language: str) -> str | None:
    """The line's wording in `language`, or None when it has none (yet, or not up to date)."""
    if line_language(item) == language:
        return item["text"]
    translation = current_translation(item)
    return translation["text"] if translation and translation["language"] == language else None


def translate_item(content: dict, section: str, item_id, language, text, by_user_id: int | None,
                   at: str | None) -> Change:
    """Enter (or correct) a line's wording in the other language; empty text takes it out."""
    new = copy.deepcopy(content)
    item = _find(new, section, item_id)[1]
    language = _language(language)
    if language == line_language(item):
        raise InvalidInput(_("This line is already worded in that language. Edit the line to "
                             "change it."), field="language")
    if text is None or (isinstance(text, str) and not text.strip()):
        item["translation"] = None
        return Change(new, _with(WORDING_REMOVED[language], text=_short(item["text"])))
    item["translation"] = new_translation(language, _line_text(text, field="translation"),
                                          item["text"], by_user_id, at, "builder")
    return Change(new, _with(WORDING_ADDED[language], text=_short(item["text"])))


def remove_item(content: dict, section: str, item_id) -> Change:
    """Take a line out of the outline (its card stays where it was)."""
    new = copy.deepcopy(content)
    index, item = _find(new, section, item_id)
    del new[section][index]
    return Change(new, _with(REMOVED_FROM[section], text=_short(item["text"])))


def move_item(content: dict, section: str, item_id, to_section: str, to_index) -> Change:
    """Reorder a line, or move it to another section."""
    new = copy.deepcopy(content)
    index, item = _find(new, section, item_id)
    to_section = _section(to_section)
    if not isinstance(to_index, int) or isinstance(to_index, bool):
        raise InvalidInput(_("Please say where the line should go."), field="to_index")
    del new[section][index]
    if to_section != section:
        item = {key: value for key, value in item.items()
                if key in ("id", "text", "origin", "card_ids", "original_text", "language",
                           "translation")}
        item.update(item_defaults(to_section))
    new[to_section].insert(max(0, min(to_index, len(new[to_section]))), item)
    if to_section != section:
        return Change(new, _with(MOVED_TO[to_section], text=_short(item["text"])))
    return Change(new, _("%(text)s: moved to place %(place)s", text=_short(item["text"]),
                         place=min(to_index, len(new[to_section]) - 1) + 1))


def update_item(content: dict, section: str, item_id, changes: dict) -> Change:
    """Reword a line or set its details (type, level, essential or desirable, how assessed)."""
    new = copy.deepcopy(content)
    item = _find(new, section, item_id)[1]
    allowed = {"text"} | set(item_defaults(section))
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("That detail does not belong to this line."),
                           field=sorted(unknown)[0])
    reworded = details = False
    for name, value in changes.items():
        cleaned = _clean_detail(name, value)
        if item.get(name) != cleaned:
            reworded, details = reworded or name == "text", details or name != "text"
            item[name] = cleaned
    return Change(new, _update_summary(_short(item["text"]), reworded, details))


def _update_summary(text: str, reworded: bool, details: bool) -> Message:
    if reworded and details:
        return _("%(text)s: reworded, and its details changed", text=text)
    if reworded:
        return _("%(text)s: reworded", text=text)
    if details:
        return _("%(text)s: details changed", text=text)
    return _("%(text)s: no change", text=text)


def _clean_detail(name: str, value):
    if name == "text":
        return _line_text(value)
    if name == "type":
        return _undecided_or(value, COMPETENCE_TYPES, "type",
                             _("Please choose knowledge, skill or behaviour."))
    if name == "requirement":
        return _undecided_or(value, REQUIREMENTS, "requirement",
                             _("Please choose essential or desirable."))
    if name == "level":
        return _level(value, "level", _("Please choose a level for this competence from 1 to 9."))
    if name == "assessment":
        # No box ticked means "not decided yet": it is never filled in with a default.
        if not isinstance(value, list) or any(a not in ASSESSMENTS for a in value):
            raise InvalidInput(_("Please choose how it is assessed from the list."),
                               field="assessment")
        return [a for a in ASSESSMENTS if a in value]
    raise InvalidInput(_("That detail does not belong to this line."), field=name)


def _undecided_or(value, options, field: str, message: Message):
    # A blank choice stays "not decided yet" (None); it never becomes one of the options.
    if value in (None, ""):
        return None
    return _choice(value, options, field, message)


def _choice(value, options, field: str, message: Message):
    if value not in options:
        raise InvalidInput(message, field=field)
    return value


def _level(value, field: str, message: Message):
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
        raise InvalidInput(_("That is not part of the job details."), field=sorted(unknown)[0])
    described = []
    for name, value in changes.items():
        cleaned = _clean_field(name, value)
        if new.get(name) != cleaned:
            new[name] = cleaned
            described.append(name)
    if not described:
        return Change(new, _("No change"))
    # A list after a colon: each label reads as itself in Welsh too.
    return Change(new, _("Job details changed: %(details)s",
                         details=_Joined([JOB_DETAIL_LABELS[name] for name in described])))


class _Joined:
    """Labels shown as one list, each in the reader's language when turned into text."""

    def __init__(self, labels: list):
        self.labels = labels

    def __str__(self) -> str:
        return ", ".join(str(label) for label in self.labels)


def _clean_field(name: str, value):
    if name == "career_level":
        return _level(value, "career_level",
                      _("Please choose a Career Framework level from 1 to 9."))
    if name == "band":
        if value in (None, ""):
            return None
        return _choice(value, BANDS, "band", _("Please choose an Agenda for Change band."))
    return clean_line(value, limit=TEXT_FIELD_LIMITS[name], field=name,
                      label=TEXT_FIELD_NAMES[name], required=name == "title")


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


def with_card_ids_mapped(content: dict, card_ids: dict[int, int]) -> dict:
    """A copy of the outline whose lines name other cards: each card id in `card_ids` becomes
    the id it maps to (a session carried forward has its own copies of the ideas).

    An id the map does not know is kept, so a line never loses the evidence it came from."""
    new = copy.deepcopy(content)
    for section in SECTIONS:
        for item in new.get(section, []):
            item["card_ids"] = [card_ids.get(card_id, card_id)
                                for card_id in item.get("card_ids", [])]
    return new
