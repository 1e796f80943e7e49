"""Template filters and globals shared by every page."""

from flask import Flask

from ..domain import labels
from ..domain.access import ACCOUNT_ROLE_LABELS
from ..domain.i18n import _
from ..domain.phases import LABELS, Phase
from ..domain.text import LIMITS
from .words import in_both_languages, page_words


def actor_label(actor: dict) -> str:
    """Who made an audit event, in words (ids only: names stay off the trail)."""
    kind = actor.get("kind")
    if kind == "participant":
        # Translators: who made a change on the audit trail, e.g. "Participant #12 (Carer)".
        return str(_("Participant #%(number)s (%(group)s)", number=actor["participant_id"],
                     group=actor.get("constituency")))
    if kind == "helper":  # someone without a phone, whose paper a helper typed in
        # Translators: e.g. "Entered by helper (Helper #3) for Participant #12, Carer".
        return str(_("Entered by helper (%(account)s #%(user)s) for Participant #%(number)s, "
                     "%(group)s", account=_account_kind(actor.get("role", "helper")),
                     user=actor["user_id"], number=actor["participant_id"],
                     group=actor.get("constituency")))
    if kind == "user":
        # Translators: an account on the audit trail, e.g. "Facilitator #2".
        return str(_("%(account)s #%(user)s", account=_account_kind(actor.get("role")),
                     user=actor["user_id"]))
    return "coprod"


def _account_kind(role) -> str:
    label = ACCOUNT_ROLE_LABELS.get(role)
    return str(label) if label is not None else str(role or _("Account")).capitalize()


# What each audit action means, in words, for the audit trail page (docs/audit.md has the
# details). The action's code is shown too: it is what `verify-audit` and the exports use.
ACTION_LABELS = {
    "account.created": _("Account created"),
    "account.disabled": _("Account switched off"),
    "account.enabled": _("Account switched back on"),
    "account.password_changed": _("Password changed"),
    "account.sign_in_failed": _("Sign-in failed"),
    "account.signed_in": _("Signed in"),
    "account.signed_out": _("Signed out"),
    "audit.heads_sealed": _("Audit trail sealed"),
    "audit.key_rotated": _("Audit key replaced"),
    "card.added": _("Idea added"),
    "card.approved": _("Idea approved"),
    "card.edited": _("Idea edited"),
    "card.hidden": _("Idea hidden"),
    "card.merge_undone": _("Merge undone"),
    "card.merged": _("Ideas merged"),
    "card.shown": _("Idea shown again"),
    "card.translated": _("Idea's translation added"),
    "countdown.set": _("Countdown set"),
    "evidence.added": _("Added to the evidence pack"),
    "evidence.removed": _("Taken out of the evidence pack"),
    "export.created": _("Download made"),
    "milestone.added": _("Milestone added"),
    "milestone.done": _("Milestone done"),
    "milestone.removed": _("Milestone taken off"),
    "outline.changed": _("Role outline changed"),
    "outline.created": _("Role outline started"),
    "outline.draft_started": _("New draft of a role outline"),
    "outline.shown": _("Role outline shown on the projector"),
    "outline.signed_off": _("Role outline agreed"),
    "participant.joined": _("Someone joined"),
    "participant.name_removed": _("A name was removed"),
    "participant.removed": _("Someone was taken out of the workshop"),
    "participants.names_erased": _("Names deleted after the keeping period"),
    "phase.changed": _("Phase changed"),
    "project.details_changed": _("Project details changed"),
    "results.revealed": _("Results shown"),
    "return_code.issued": _("Return code made"),
    "role.added": _("Role added"),
    "role.changed": _("Role changed"),
    "role.removed": _("Role removed"),
    "room.locked": _("Joining locked"),
    "room.unlocked": _("Joining open again"),
    "round.closed": _("Vote closed"),
    "round.opened": _("Vote opened"),
    "settings.bilingual_wall_changed": _("Bilingual wall changed"),
    "settings.consensus_changed": _("Consensus settings changed"),
    "settings.expected_size_changed": _("Number of people expected changed"),
    "settings.moderation_changed": _("Approval of new ideas changed"),
    "session.carried_forward": _("Ideas, roles and outlines carried forward from the last session"),
    "setup.link_issued": _("Setup link made"),
    "vote.cast": _("Vote given"),
    "vote.changed": _("Vote changed"),
    "vote.withdrawn": _("Vote taken back"),
    "wall.paged": _("Projector page moved"),
    "workshop.constituencies_changed": _("Groups changed"),
    "workshop.before_changed": _("\"Before you start\" page changed"),
    "workshop.created": _("Workshop created"),
    "workshop.details_changed": _("Workshop details changed"),
    "workshop.shared": _("Workshop shared"),
    "workshop.unshared": _("Access removed"),
}


def action_label(action: str) -> str:
    """What an audit action means, in words (its code when it has no words yet)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def reject_none(attributes: dict) -> dict:
    """Drop empty HTML attributes; join lists (aria-describedby) with spaces."""
    return {key: " ".join(value) if isinstance(value, list) else value
            for key, value in attributes.items() if value not in (None, [], "")}


def register_filters(app: Flask) -> None:
    """Make the filters, the text limits and the labels available to templates."""
    app.jinja_env.filters.update(actor_label=actor_label, action_label=action_label,
                                 reject_none=reject_none,
                                 phase_label=lambda value: LABELS[Phase(value)])
    app.jinja_env.globals.update(limits=LIMITS, labels=labels, page_words=page_words,
                                 in_both_languages=in_both_languages)
