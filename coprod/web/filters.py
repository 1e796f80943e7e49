"""Template filters and globals shared by every page."""

from flask import Flask

from ..domain import labels
from ..domain.phases import LABELS, Phase
from ..domain.text import LIMITS
from .words import in_both_languages, page_words


def actor_label(actor: dict) -> str:
    """Who made an audit event, in words (ids only: names stay off the trail)."""
    kind = actor.get("kind")
    if kind == "participant":
        return f"Participant #{actor['participant_id']} ({actor.get('constituency')})"
    if kind == "helper":  # someone without a phone, whose paper a helper typed in
        return (f"Entered by helper ({actor.get('role', 'helper').capitalize()} "
                f"#{actor['user_id']}) for Participant #{actor['participant_id']}, "
                f"{actor.get('constituency')}")
    if kind == "user":
        return f"{actor.get('role', 'user').capitalize()} #{actor['user_id']}"
    return "coprod"


def reject_none(attributes: dict) -> dict:
    """Drop empty HTML attributes; join lists (aria-describedby) with spaces."""
    return {key: " ".join(value) if isinstance(value, list) else value
            for key, value in attributes.items() if value not in (None, [], "")}


def register_filters(app: Flask) -> None:
    """Make the filters, the text limits and the labels available to templates."""
    app.jinja_env.filters.update(actor_label=actor_label, reject_none=reject_none,
                                 phase_label=lambda value: LABELS[Phase(value)])
    app.jinja_env.globals.update(limits=LIMITS, labels=labels, page_words=page_words,
                                 in_both_languages=in_both_languages)
