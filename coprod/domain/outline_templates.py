"""Starting points for the three role outlines of the Hywel Dda project (phrased for coprod).

Templates give the job details and a few person-specification lines and values; the
responsibilities and competences come from the room.
"""

from .outlines import blank_outline, item_defaults

SHARED_VALUES = (
    "Treats people with dignity and respect",
    "Listens to people, carers and colleagues and works with them as partners",
    "Is honest and open, and learns from mistakes",
    "Does what only this role can do, and helps others do the rest",
)

TEMPLATES = {
    "navigator": {
        "career_level": 4, "band": "4",
        "reporting_lines": "Reports to the community mental health team leader. Works day to day "
                           "with the duty worker and the wider team.",
        "person_spec": [
            ("Knows local health, social care and voluntary services, or can show how they "
             "would learn them quickly", "essential", ["application", "interview"]),
            ("Lived experience of mental health services, as a user or a carer", "desirable",
             ["application", "interview"]),
        ],
    },
    "hca": {
        "career_level": 3, "band": "3",
        "reporting_lines": "Reports to the registered nurse in charge of the shift, who "
                           "delegates and supervises their care.",
        "person_spec": [
            ("Holds the Care Certificate, or will complete all 15 standards within 12 weeks",
             "essential", ["certificate"]),
            ("Experience of caring for people, paid or unpaid", "desirable",
             ["application", "interview"]),
        ],
    },
    "cmhc_nurse": {
        "career_level": 5, "band": "5",
        "reporting_lines": "Reports to the community mental health team leader, with clinical "
                           "supervision from a senior nurse.",
        "person_spec": [
            ("Registered mental health nurse with the Nursing and Midwifery Council", "essential",
             ["certificate"]),
            ("Experience of community mental health care", "desirable",
             ["application", "interview"]),
        ],
    },
}


def starting_outline(title: str, setting: str, purpose: str, template_key: str | None) -> dict:
    """Version 1 of a role's outline: its template where it has one, else blank details."""
    content = blank_outline(title, setting, purpose)
    template = TEMPLATES.get(template_key or "")
    if template is None:
        return content
    content.update(career_level=template["career_level"], band=template["band"],
                   reporting_lines=template["reporting_lines"])
    for number, (text, requirement, assessment) in enumerate(template["person_spec"], start=1):
        content["person_spec"].append({
            "id": f"t-spec-{number}", "text": text, "origin": "template", "card_ids": [],
            "original_text": text, **item_defaults("person_spec"),
            "requirement": requirement, "assessment": assessment})
    for number, text in enumerate(SHARED_VALUES, start=1):
        content["values"].append({"id": f"t-value-{number}", "text": text, "origin": "template",
                                  "card_ids": [], "original_text": text})
    return content
