"""The evidence pack: items (a plain summary, a source, a link or a PDF), the seed ideas that come
from them, and what the "Before you start" page tells people about the next session.

Changes to the pack are the project's, so they are audited on the chain of its newest session
(services/projects.py). An uploaded PDF is checked in full before anything is written, stored
under a name coprod makes, and never left behind by a change that did not commit.
"""

import hashlib
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from ..domain import cards as card_rules
from ..domain import evidence as rules
from ..domain.access import Action
from ..domain.actors import Actor
from ..domain.errors import Conflict, Forbidden, NotFound
from ..domain.evidence import EvidenceDetails
from ..domain.i18n import _
from ..domain.phases import Phase
from ..domain.text import clean_line
from ..extensions import db
from ..language import current_language
from ..models import Card, EvidenceItem, Project, Workshop
from .cards import card_view, record_new_card, role_for_card
from .participants import UNKNOWN_CODE, find_by_code
from .projects import newest_session_id, project_for_user
from .unit import unit_of_work
from .workshops import apply_changes

ITEM_NOT_FOUND = _("We could not find that item of evidence. It may have been removed.")
IN_USE = _("Seed ideas from this item are already in a session, so it stays in the pack. "
           "You can hide those ideas from the console.")
SESSION_CLOSED = _("The newest session has finished, so no more seed ideas can be added. "
                   "Start the next session first.")
# Names coprod itself gives stored files: nothing else is ever opened from the folder.
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.pdf")


@dataclass(frozen=True)
class Upload:
    """A file as it came from the form: the name it was sent with, and its bytes."""

    file_name: str
    data: bytes


@dataclass(frozen=True)
class BeforeDetails:
    """What the "Before you start" page says about a session, as typed on its form."""

    what_happens: str = ""
    duration: str = ""
    expenses: str = ""


def max_bytes() -> int:
    """The largest PDF the pack takes (config EVIDENCE_MAX_BYTES)."""
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", rules.DEFAULT_MAX_BYTES))


def evidence_dir() -> Path:
    """The folder the pack's PDFs are kept in (config EVIDENCE_DIR)."""
    return Path(current_app.config["EVIDENCE_DIR"])


def items_of(project_id: int) -> list[EvidenceItem]:
    """The project's evidence pack, in order."""
    return list(db.session.scalars(select(EvidenceItem).where(
        EvidenceItem.project_id == project_id).order_by(EvidenceItem.position, EvidenceItem.id)))


def add_item(actor: Actor, project_id, details: EvidenceDetails, upload: Upload | None = None) -> int:
    """Add an item to the pack, with its PDF if one was uploaded; returns the item's id.

    Every check runs before the file is written; if the change then fails, the file goes too.
    """
    details = rules.clean_item(details)
    if upload is not None:
        rules.check_pdf(upload.data, max_bytes())
    stored: Path | None = None
    try:
        with unit_of_work(actor) as unit:
            project = _project_to_change(actor, project_id)
            if upload is not None:
                stored = _store(upload.data)
            item = EvidenceItem(
                project_id=project.id, title=details.title, summary=details.summary,
                source=details.source, published_on=details.published_on,
                url=details.url or None, position=_next_position(project.id),
                added_by_user_id=actor.user_id,
                **(_file_columns(upload, stored) if upload is not None else {}))
            unit.session.add(item)
            unit.session.flush()
            unit.audit("evidence.added", _item_payload(item), workshop_id=newest_session_id(project.id))
            return item.id
    except BaseException:
        if stored is not None:
            stored.unlink(missing_ok=True)  # nothing half written: no row, so no file
        raise


def remove_item(actor: Actor, project_id, item_id) -> None:
    """Take an item out of the pack, and its PDF off the disk once that is committed."""
    with unit_of_work(actor) as unit:
        project = _project_to_change(actor, project_id)
        item = item_in(project.id, item_id)
        if db.session.scalar(select(func.count(Card.id)).where(Card.evidence_item_id == item.id)):
            # The ideas are on their session's audit trail with this item's id: keep what they cite.
            raise Conflict(IN_USE)
        payload = _item_payload(item)
        stored = _stored_path(item.stored_name)
        unit.session.delete(item)
        unit.audit("evidence.removed", payload, workshop_id=newest_session_id(project.id))
    if stored is not None:
        stored.unlink(missing_ok=True)


def item_in(project_id: int, item_id) -> EvidenceItem:
    """An item of this project's pack, or not found (never another project's)."""
    item = db.session.get(EvidenceItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.project_id != project_id:
        raise NotFound(ITEM_NOT_FOUND, field="item_id")
    return item


def add_seed_idea(actor: Actor, project_id, item_id, kind, text, role_id=None) -> dict:
    """Add an idea from an evidence item to the newest session, announced like any idea.

    It counts as "From the evidence", not as the facilitator's, wherever ideas are counted.
    """
    kind = card_rules.parse_kind(kind)
    text = clean_line(text, limit="card_text", field="text", label=_("The seed idea"))
    with unit_of_work(actor) as unit:
        project = _project_to_change(actor, project_id)
        item = item_in(project.id, item_id)
        workshop = db.session.get(Workshop, newest_session_id(project.id))
        if Phase(workshop.phase) is Phase.CLOSED:
            raise Conflict(SESSION_CLOSED)
        role = role_for_card(workshop.id, role_id)
        # Visible at once: the facilitator wrote it, so it needs nobody's approval.
        card = Card(workshop_id=workshop.id, kind=kind.value, text=text,
                    language=current_language(), role_id=role.id if role else None,
                    state=card_rules.CardState.VISIBLE.value, author_user_id=actor.user_id,
                    evidence_item_id=item.id)
        record_new_card(unit, card, actor.user_id,
                        {"origin": "evidence", "evidence_item_id": item.id})
        return {"card": card_view(card)}


def seed_ideas(project_id: int) -> dict[int, list[Card]]:
    """The seed ideas in the project's newest session, by the item they came from."""
    newest = newest_session_id(project_id)
    found: dict[int, list[Card]] = {}
    for card in db.session.scalars(select(Card).where(
            Card.workshop_id == newest, Card.evidence_item_id.is_not(None)).order_by(Card.id)):
        found.setdefault(card.evidence_item_id, []).append(card)
    return found


def save_before(actor: Actor, project_id, details: BeforeDetails) -> dict:
    """Save what the "Before you start" page says about the newest session; returns what changed."""
    cleaned = {
        "what_happens": clean_line(details.what_happens, limit="what_happens",
                                   field="what_happens", label=_("What will happen"),
                                   required=False),
        "duration": clean_line(details.duration, limit="duration", field="duration",
                               label=_("How long it takes"), required=False),
        "expenses": clean_line(details.expenses, limit="expenses", field="expenses",
                               label=_("Expenses or payment offered"), required=False),
    }
    with unit_of_work(actor) as unit:
        project = _project_to_change(actor, project_id)
        workshop = db.session.get(Workshop, newest_session_id(project.id))
        changes = apply_changes(workshop, cleaned)
        if changes:
            unit.audit("workshop.before_changed", changes, workshop_id=workshop.id)
        return changes


@dataclass(frozen=True)
class BeforeYouStart:
    """What the public "Before you start" page shows for one join code."""

    workshop: Workshop
    project: Project
    items: list[EvidenceItem]


def before_you_start(code: str) -> BeforeYouStart:
    """The session a join code belongs to (in any phase), its project and its evidence pack."""
    workshop = find_by_code(code)
    if workshop is None:
        raise NotFound(UNKNOWN_CODE, field="code")  # the join page's own words
    return BeforeYouStart(workshop, workshop.project, items_of(workshop.project_id))


def file_for_code(code: str, item_id) -> tuple[Path, str]:
    """The stored PDF of an item of the pack this join code's project holds, and a safe name to
    save it as; not found for any other project's item, or an item with no PDF."""
    session = before_you_start(code)
    item = item_in(session.project.id, item_id)
    path = _stored_path(item.stored_name)
    if path is None or not path.is_file():
        raise NotFound(ITEM_NOT_FOUND)
    return path, rules.download_name(item.file_name, item.title)


def _project_to_change(actor: Actor, project_id) -> Project:
    if actor.kind != "user" or actor.user_id is None:
        raise Forbidden(_("Only the facilitator can do that."))
    return project_for_user(actor.user_id, project_id, Action.RUN)[0]


def _next_position(project_id: int) -> int:
    last = db.session.scalar(select(func.max(EvidenceItem.position)).where(
        EvidenceItem.project_id == project_id))
    return (last or 0) + 1


def _store(data: bytes) -> Path:
    """Write the file under a new name: to a temporary file first, then renamed, so a reader
    never finds half a file under a real name."""
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{uuid.uuid4().hex}.pdf"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return final


def _file_columns(upload: Upload, stored: Path) -> dict:
    return {"file_name": rules.download_name(upload.file_name, "evidence"),
            "stored_name": stored.name, "file_size": len(upload.data),
            "file_sha256": hashlib.sha256(upload.data).hexdigest()}


def _stored_path(stored_name: str | None) -> Path | None:
    if not stored_name or not _STORED_NAME.fullmatch(stored_name):
        return None
    return evidence_dir() / stored_name


def _item_payload(item: EvidenceItem) -> dict:
    return {"item_id": item.id, "title": item.title, "source": item.source, "url": item.url,
            "file_name": item.file_name, "size": item.file_size, "sha256": item.file_sha256}
