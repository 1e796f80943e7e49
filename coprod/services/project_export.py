"""Exporting a project's record (PDF or JSON), in Welsh or English, always on the audit trail."""

import hashlib
import re
from datetime import date

from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.clock import iso, utcnow
from ..domain.errors import InvalidInput
from ..domain.i18n import _, read_all
from ..exports import project_json, project_pdf, wording
from .exports import ExportFile
from .project_record import record
from .projects import newest_session_id, project_for_user
from .unit import unit_of_work

FORMATS = {"pdf": ("application/pdf", project_pdf.render),
           "json": ("application/json", project_json.render)}
LANGUAGES = ("cy", "en")
FORMAT_VERSION = 1


def export(actor: Actor, project_id: int, format_name: str, language: str | None,
           today: date) -> ExportFile:
    """The project's record as a PDF or JSON file, in Welsh or English (None: the reader's)."""
    if format_name not in FORMATS:
        raise InvalidInput(_("We can export a project's record as PDF or JSON. Please choose one "
                             "of those."), field="format")
    language = language or wording.mode()
    if language not in LANGUAGES:
        raise InvalidInput(_("We can export a project's record in Welsh or in English. Please "
                             "choose one of those."), field="language")
    project, _access = project_for_user(actor.user_id, project_id, Action.EXPORT)
    mimetype, render = FORMATS[format_name]
    # Built before the write lock, as outline exports are: a PDF takes a moment.
    with wording.export_language(language):
        document = build(project, language, today)
        data = render(document)
    with unit_of_work(actor) as unit:
        project_for_user(actor.user_id, project_id, Action.EXPORT)
        unit.audit("export.created", {
            "format": format_name, "language": language, "scope": "project",
            "project_id": project.id,
            "audit_heads": {str(head["session"]): head["head_seq"]
                            for head in document["statement"]["audit_heads"]},
            "sha256": hashlib.sha256(data).hexdigest()},
            workshop_id=newest_session_id(project.id))
    return ExportFile(_filename(project.title, format_name, language), mimetype, data)


def build(project, language: str, today: date) -> dict:
    """The project export document (docs/project-export.schema.json): every label as text."""
    return {"format": "coprod-project-record", "format_version": FORMAT_VERSION,
            "language": language, "generated_at": iso(utcnow()),
            **read_all(record(project, today))}


def _filename(title: str, format_name: str, language: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "project"
    suffix = "" if language == "en" else f"-{language}"
    return f"{slug}-project-record{suffix}.{format_name}"
