"""The words people read for coprod's fixed values: one home for each label.

Pages (Jinja), exports and the browser all read these (the browser gets them from the server with
the page, see `for_front_end`), so a label changes in one place only. Plain English for now; the
Welsh and English catalogue will wrap exactly these strings.
"""

from .cards import CardKind, CardState
from .consensus import Status

# Ideas the facilitator added belong to no group: they are listed under this name, last.
FACILITATOR_GROUP = "Facilitator"

CONSENSUS_LABELS = {Status.AGREED: "Agreed", Status.DIVISIVE: "Divisive", Status.OPEN: "Open"}
# The wall's one-line summary of results, "5 agreed · 2 where groups differ · 1 open", in this
# order; {count} is the number of ideas with that status.
RESULTS_SUMMARY_LABELS = {Status.AGREED: "{count} agreed", Status.DIVISIVE: "{count} where groups differ",
                          Status.OPEN: "{count} open"}
NOT_VOTED = "Not voted on"

KIND_LABELS = {CardKind.RESPONSIBILITY: "Responsibility", CardKind.COMPETENCE: "Competence"}
# Headings over a list of cards of one kind (the projector's columns).
KIND_HEADINGS = {CardKind.RESPONSIBILITY: "Responsibilities", CardKind.COMPETENCE: "Competences"}
KIND_HINTS = {
    CardKind.RESPONSIBILITY: 'Something the role does, like "Helps people find local support".',
    CardKind.COMPETENCE: 'Something the role needs to know or do well, like "Listens without judging".',
}

CARD_STATE_LABELS = {CardState.VISIBLE: "On the screen", CardState.PENDING: "Waiting for approval",
                     CardState.HIDDEN: "Hidden", CardState.MERGED: "Merged"}

# The outline's sections, in job-description order (the order every page and export uses).
SECTION_LABELS = {
    "responsibilities": "Key responsibilities",
    "competences": "Competences",
    "person_spec": "Person specification",
    "values": "Values",
}
# The job details, in job-description order.
JOB_DETAIL_LABELS = {
    "title": "Job title", "setting": "Setting", "purpose": "Purpose",
    "career_level": "Career Framework level", "band": "Agenda for Change band",
    "reporting_lines": "Reporting lines",
}
VERSION_STATUS_LABELS = {"draft": "Draft, not yet agreed", "agreed": "Agreed"}
ORIGIN_LABELS = {"card": "From an idea in the room", "room": "Typed in the room",
                 "template": "From the role template"}
COMPETENCE_TYPE_LABELS = {"knowledge": "Knowledge", "skill": "Skill", "behaviour": "Behaviour"}
REQUIREMENT_LABELS = {"essential": "Essential", "desirable": "Desirable"}
ASSESSMENT_LABELS = {"application": "Application", "interview": "Interview",
                     "reference": "Reference", "certificate": "Certificate",
                     "observed practice": "Observed practice"}
# A detail of an outline line nobody has chosen yet (type, level, essential or desirable, how
# assessed): shown and exported as this, never as a default.
NOT_DECIDED = "Not decided yet"
# Ideas aimed at no one role.
ANY_ROLE = "Any role"
# The answers of an agree vote, in the order a phone offers them.
ANSWER_LABELS = {"agree": "Agree", "unsure": "Not sure", "disagree": "Disagree"}


def consensus_label(status: str | None) -> str:
    """A card's consensus status in words ("Not voted on" when no vote included it)."""
    return CONSENSUS_LABELS[Status(status)] if status else NOT_VOTED


def _pairs(labels: dict) -> list[list[str]]:
    # JSON objects lose their order on the way (Flask sorts keys), so ordered labels go as pairs.
    return [[str(key), label] for key, label in labels.items()]


def for_front_end() -> dict:
    """Every label the live pages (console, projector, phone, builder) show, as plain JSON."""
    return {
        "consensus": {**CONSENSUS_LABELS, "none": NOT_VOTED},
        "kinds": KIND_LABELS,
        "kind_headings": KIND_HEADINGS,
        "card_states": CARD_STATE_LABELS,
        "sections": _pairs(SECTION_LABELS),
        "origins": ORIGIN_LABELS,
        "types": _pairs(COMPETENCE_TYPE_LABELS),
        "requirements": _pairs(REQUIREMENT_LABELS),
        "assessments": _pairs(ASSESSMENT_LABELS),
        "undecided": {"label": NOT_DECIDED},
        "answers": _pairs(ANSWER_LABELS),
        "any_role": {"label": ANY_ROLE},
        "results_summary": _pairs(RESULTS_SUMMARY_LABELS),
    }
