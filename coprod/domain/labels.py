"""The words people read for coprod's fixed values: one home for each label.

Pages (Jinja), exports and the browser all read these (the browser gets them from the server with
the page, see `for_front_end`), so a label changes in one place only. Each label is marked for
the Welsh and English catalogue (`_`): it is read in the reader's language when shown.
"""

from .cards import CardKind, CardState
from .consensus import Status
from .i18n import Message, _, ngettext

# Ideas the facilitator added belong to no group: they are listed under this name, last.
# Translators: the group name for ideas the facilitator added (they belong to no group).
FACILITATOR_GROUP = _("Facilitator")

# Plain words for results (tested as clearer than "Agreed / Divisive / Open"); the codes
# (agreed, divisive, open) stay the same in the data.
CONSENSUS_LABELS = {Status.AGREED: _("Agreed by every group"), Status.DIVISIVE: _("Groups differ"),
                    Status.OPEN: _("Not decided")}
# Each result's rule in one plain sentence (coprod/domain/consensus.py: `status`). A group
# counts only with enough voters; "enough" support is the workshop's agreement level.
CONSENSUS_RULES = {
    Status.AGREED: _("Enough people in every group supported it."),
    Status.DIVISIVE: _("Some groups supported it much more than others."),
    Status.OPEN: _("Not every group supported it enough, or too few people voted."),
}
# The wall's one-line summary of results, "5 agreed by every group · 2 where groups differ ·
# 1 not decided", in this order; the count is the number of ideas with that status. Marked with
# no count: the page chooses the wording for its number (see coprod/web/words).
RESULTS_SUMMARY_LABELS = {
    Status.AGREED: ngettext("%(count)s agreed by every group", "%(count)s agreed by every group"),
    Status.DIVISIVE: ngettext("%(count)s where groups differ", "%(count)s where groups differ"),
    Status.OPEN: ngettext("%(count)s not decided", "%(count)s not decided"),
}
# Translators: a result for an idea that was in no vote.
NOT_VOTED = _("Not voted on")

KIND_LABELS = {CardKind.RESPONSIBILITY: _("Responsibility"), CardKind.COMPETENCE: _("Competence")}
# Headings over a list of cards of one kind (the projector's columns).
KIND_HEADINGS = {CardKind.RESPONSIBILITY: _("Responsibilities"), CardKind.COMPETENCE: _("Competences")}
KIND_HINTS = {
    CardKind.RESPONSIBILITY: _('Something the role does, like "Helps people find local support".'),
    CardKind.COMPETENCE: _('Something the role needs to know or do well, like "Listens without judging".'),
}

# Translators: where an idea is in moderation (shown to the facilitator).
CARD_STATE_LABELS = {CardState.VISIBLE: _("On the screen"), CardState.PENDING: _("Waiting for approval"),
                     CardState.HIDDEN: _("Hidden"), CardState.MERGED: _("Merged")}

# The outline's sections, in job-description order (the order every page and export uses).
SECTION_LABELS = {
    "responsibilities": _("Key responsibilities"),
    "competences": _("Competences"),
    "person_spec": _("Person specification"),
    "values": _("Values"),
}
# The job details, in job-description order.
JOB_DETAIL_LABELS = {
    "title": _("Job title"), "setting": _("Setting"), "purpose": _("Purpose"),
    "career_level": _("Career Framework level"), "band": _("Agenda for Change band"),
    "reporting_lines": _("Reporting lines"),
}
# Translators: the state of a role outline's version ("Agreed": signed off).
VERSION_STATUS_LABELS = {"draft": _("Draft, not yet agreed"), "agreed": _("Agreed")}
ORIGIN_LABELS = {"card": _("From an idea in the room"), "room": _("Typed in the room"),
                 "template": _("From the role template")}
COMPETENCE_TYPE_LABELS = {"knowledge": _("Knowledge"), "skill": _("Skill"), "behaviour": _("Behaviour")}
REQUIREMENT_LABELS = {"essential": _("Essential"), "desirable": _("Desirable")}
# Translators: how a competence is checked when someone applies for the role.
ASSESSMENT_LABELS = {"application": _("Application"), "interview": _("Interview"),
                     "reference": _("Reference"), "certificate": _("Certificate"),
                     "observed practice": _("Observed practice")}
# A detail of an outline line nobody has chosen yet (type, level, essential or desirable, how
# assessed): shown and exported as this, never as a default.
NOT_DECIDED = _("Not decided yet")
# Ideas aimed at no one role.
ANY_ROLE = _("Any role")
# The answers of an agree vote, in the order a phone offers them.
ANSWER_LABELS = {"agree": _("Agree"), "unsure": _("Not sure"), "disagree": _("Disagree")}


def consensus_label(status: str | None) -> Message:
    """A card's consensus status in words ("Not voted on" when no vote included it)."""
    return CONSENSUS_LABELS[Status(status)] if status else NOT_VOTED


def consensus_rule_text(status: str | None) -> Message | None:
    """The rule behind a card's consensus status, in one plain sentence (None when not voted on)."""
    return CONSENSUS_RULES[Status(status)] if status else None


def _pairs(labels: dict) -> list[list]:
    # JSON objects lose their order on the way (Flask sorts keys), so ordered labels go as pairs.
    return [[str(key), label] for key, label in labels.items()]


# What an outline's sign-off can still need (coprod.domain.outlines.sign_off_needs gives the
# keys): screens get the keys, since one broadcast reaches builders in Welsh and in English.
SIGN_OFF_NEEDS = {"responsibility": _("Add at least one responsibility.")}


def for_front_end() -> dict:
    """Every label the live pages (console, projector, phone, builder) show, ready for JSON.

    The labels are Messages: Flask's JSON (and `tojson`) reads each in the reader's language.
    The results summary depends on a number, so it goes with the page's words instead
    (RESULTS_SUMMARY_LABELS, through coprod/web/words)."""
    return {
        "consensus": {**CONSENSUS_LABELS, "none": NOT_VOTED},
        "consensus_rules": CONSENSUS_RULES,
        "kinds": KIND_LABELS,
        "kind_headings": KIND_HEADINGS,
        "kind_hints": KIND_HINTS,
        "card_states": CARD_STATE_LABELS,
        "sections": _pairs(SECTION_LABELS),
        "origins": ORIGIN_LABELS,
        "types": _pairs(COMPETENCE_TYPE_LABELS),
        "requirements": _pairs(REQUIREMENT_LABELS),
        "assessments": _pairs(ASSESSMENT_LABELS),
        "undecided": {"label": NOT_DECIDED},
        "answers": _pairs(ANSWER_LABELS),
        "any_role": {"label": ANY_ROLE},
        "results_order": [status.value for status in RESULTS_SUMMARY_LABELS],
        "sign_off_needs": SIGN_OFF_NEEDS,
    }
