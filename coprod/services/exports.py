"""Exporting role outlines with their evidence: any time, any format, always on the audit trail."""

import hashlib
import re
from dataclasses import dataclass

from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.errors import Conflict, InvalidInput
from ..exports import formats
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
           version=None) -> ExportFile:
    """One role's outline (a given version, or the newest) or every role's, in one format."""
    fmt = formats().get(format_name)
    if fmt is None:
        raise InvalidInput("We can export PDF, Word (DOCX), Markdown, CSV or JSON. Please "
                           "choose one of those.", field="format")
    workshop, _ = workshop_for_user(actor.user_id, workshop_id, Action.EXPORT)
    chosen = _versions(workshop.id, role_id, version)
    # Build and render before taking the write lock: a PDF takes a moment, and votes must not
    # queue behind it. The document names the audit head it was built from.
    document = documents.build(workshop, chosen)
    data = fmt.render(document)
    with unit_of_work(actor) as unit:
        workshop_for_user(actor.user_id, workshop_id, Action.EXPORT)
        unit.audit("export.created", {
            "format": fmt.name, "scope": "role" if role_id is not None else "workshop",
            "versions": {str(role.id): v.number for role, v in chosen},
            "statuses": {str(role.id): v.status for role, v in chosen},
            "audit_head": document["statement"]["audit"]["head_seq"],
            "sha256": hashlib.sha256(data).hexdigest()}, workshop_id=workshop_id)
        return ExportFile(_filename(workshop.title, chosen, role_id, fmt.extension), fmt.mimetype,
                          data)


def _versions(workshop_id: int, role_id, number):
    if role_id is not None:
        role = role_in(workshop_id, role_id)
        chosen = version_of(role.id, number) if number is not None else latest_version(role.id)
        if chosen is None:
            raise Conflict(f"The {role.title} outline has not been started yet.")
        return [(role, chosen)]
    chosen = [(role, version) for role, version in outline_roles(workshop_id) if version]
    if not chosen:
        raise Conflict("There are no role outlines to export yet. Start one in the builder.")
    return chosen


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "workshop"


def _filename(title: str, chosen, role_id, extension: str) -> str:
    if role_id is None:
        return f"{_slug(title)}-role-outlines.{extension}"
    role, version = chosen[0]
    return f"{_slug(role.title)}-v{version.number}-{version.status}.{extension}"
