"""Starting points for the three role outlines of the Hywel Dda project (phrased for coprod).

Templates give the job details and a few person-specification lines and values; the
responsibilities and competences come from the room. Their wording is in the catalogue, so a
template's lines start in English with their Welsh beside them (where the catalogue has it).
"""

from collections.abc import Callable

from .i18n import _
from .outlines import blank_outline, item_defaults, new_translation

SHARED_VALUES = (
    _("Treats people with dignity and respect"),
    _("Listens to people, carers and colleagues and works with them as partners"),
    _("Is honest and open, and learns from mistakes"),
    _("Does what only this role can do, and helps others do the rest"),
)

TEMPLATES = {
    "navigator": {
        "career_level": 4, "band": "4",
        "reporting_lines": _("Reports to the community mental health team leader. Works day to day "
                           "with the duty worker and the wider team."),
        "person_spec": [
            (_("Knows local health, social care and voluntary services, or can show how they "
             "would learn them quickly"), "essential", ["application", "interview"]),
            (_("Lived experience of mental health services, as a user or a carer"), "desirable",
             ["application", "interview"]),
        ],
    },
    "hca": {
        "career_level": 3, "band": "3",
        "reporting_lines": _("Reports to the registered nurse in charge of the shift, who "
                           "delegates and supervises their care."),
        "person_spec": [
            (_("Holds the Care Certificate, or will complete all 15 standards within 12 weeks"),
             "essential", ["certificate"]),
            (_("Experience of caring for people, paid or unpaid"), "desirable",
             ["application", "interview"]),
        ],
    },
    "cmhc_nurse": {
        "career_level": 5, "band": "5",
        "reporting_lines": _("Reports to the community mental health team leader, with clinical "
                           "supervision from a senior nurse."),
        "person_spec": [
            (_("Registered mental health nurse with the Nursing and Midwifery Council"), "essential",
             ["certificate"]),
            (_("Experience of community mental health care"), "desirable",
             ["application", "interview"]),
        ],
    },
}


# A marked message read in each language: {"cy": ..., "en": ...} (the app's catalogue).
InEachLanguage = Callable[[object], dict]


def _english_only(message) -> dict:
    return {"en": str(message)}


def starting_outline(title: str, setting: str, purpose: str, template_key: str | None,
                     in_each_language: InEachLanguage = _english_only) -> dict:
    """Version 1 of a role's outline: its template where it has one, else blank details."""
    content = blank_outline(title, setting, purpose)
    template = TEMPLATES.get(template_key or "")
    if template is None:
        return content
    content.update(career_level=template["career_level"], band=template["band"],
                   reporting_lines=str(template["reporting_lines"]))
    for number, (text, requirement, assessment) in enumerate(template["person_spec"], start=1):
        content["person_spec"].append({
            "id": f"t-spec-{number}", **_template_line(text, in_each_language),
            **item_defaults("person_spec"), "requirement": requirement, "assessment": assessment})
    for number, text in enumerate(SHARED_VALUES, start=1):
        content["values"].append({"id": f"t-value-{number}",
                                  **_template_line(text, in_each_language)})
    return content


def _template_line(message, in_each_language: InEachLanguage) -> dict:
    """A template line in English, with the catalogue's Welsh when it has a Welsh wording."""
    words = in_each_language(message)
    english, welsh = words["en"], words.get("cy")
    translation = (new_translation("cy", welsh, english, None, None, "catalogue")
                   if welsh and welsh != english else None)
    return {"text": english, "origin": "template", "card_ids": [], "original_text": english,
            "language": "en", "translation": translation}
