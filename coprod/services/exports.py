"""Exporting role outlines with their evidence: any time, any format, always on the audit trail."""

import hashlib
import re
from dataclasses import dataclass

from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.errors import Conflict, InvalidInput
from ..domain.i18n import _
from ..exports import formats, wording
from . import documents
from .access import workshop_for_user
from .outlines import latest_version, outline_roles, role_in, version_of
from .unit import unit_of_work


@dataclass(frozen=True)
class ExportFile:
    filename: str
    mimetype: str
    data: bytes


def export(actor: Actor, workshop_id: int, format_name: str, role_id=None,
           version=None, language: str | None = None) -> ExportFile:
    """One role's outline (a given version, or the newest) or every role's, in one format, in
    Welsh, English or both side by side (`language`: "cy", "en", "both"; None: the reader's)."""
    fmt = formats().get(format_name)
    if fmt is None:
        raise InvalidInput(_("We can export PDF, Word (DOCX), Markdown, CSV or JSON. Please "
                             "choose one of those."), field="format")
    language = language or wording.mode()
    if language not in wording.MODES:
        raise InvalidInput(_("We can export in Welsh, in English, or in both side by side. "
                             "Please choose one of those."), field="language")
    workshop = workshop_for_user(actor.user_id, workshop_id, Action.EXPORT)[0]
    chosen = _versions(workshop.id, role_id, version)
    # Build and render before taking the write lock: a PDF takes a moment, and votes must not
    # queue behind it. The document names the audit head it was built from.
    with wording.export_language(language):
        document = documents.build(workshop, chosen)
        data = fmt.render(document)
    with unit_of_work(actor) as unit:
        workshop_for_user(actor.user_id, workshop_id, Action.EXPORT)
        unit.audit("export.created", {
            "format": fmt.name, "language": language,
            "scope": "role" if role_id is not None else "workshop",
            "versions": {str(role.id): v.number for role, v in chosen},
            "statuses": {str(role.id): v.status for role, v in chosen},
            "audit_head": document["statement"]["audit"]["head_seq"],
            "sha256": hashlib.sha256(data).hexdigest()}, workshop_id=workshop_id)
        return ExportFile(_filename(workshop.title, chosen, role_id, fmt.extension, language),
                          fmt.mimetype, data)


def _versions(workshop_id: int, role_id, number):
    if role_id is not None:
        role = role_in(workshop_id, role_id)
        chosen = version_of(role.id, number) if number is not None else latest_version(role.id)
        if chosen is None:
            raise Conflict(_("The %(role)s outline has not been started yet.", role=role.title))
        return [(role, chosen)]
    chosen = [(role, version) for role, version in outline_roles(workshop_id) if version]
    if not chosen:
        raise Conflict(_("There are no role outlines to export yet. Start one in the builder."))
    return chosen


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "workshop"


def _filename(title: str, chosen, role_id, extension: str, language: str) -> str:
    # English keeps the names it always had; Welsh and both say so, so the files sit together.
    suffix = "" if language == "en" else f"-{language}"
    if role_id is None:
        return f"{_slug(title)}-role-outlines{suffix}.{extension}"
    role, version = chosen[0]
    return f"{_slug(role.title)}-v{version.number}-{version.status}{suffix}.{extension}"
