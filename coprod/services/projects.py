"""Role redesign projects: creating one, loading it for an account, and its sessions.

A project's sessions are workshops that share its roles (carried forward, services/carry.py)
and its sharing: every session has the same members (services/workshops.share keeps them in
step), so the access an account has to a project is its access to the newest session.
Changes to the project itself (its details, milestones, evidence pack) are audited on the
chain of its newest session, the one being prepared.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..domain.access import Access, Action, require
from ..domain.actors import Actor
from ..domain.errors import InvalidInput, NotFound
from ..domain.i18n import _
from ..domain.projects import ProjectDetails, clean_project, is_overdue
from ..domain.text import clean_line
from ..extensions import db
from ..models import Milestone, Project, Workshop, WorkshopMember
from . import audit
from .access import access_of, session_ids
from .unit import unit_of_work
from .workshops import WorkshopDetails, apply_changes, create_workshop

PROJECT_NOT_FOUND = _("We could not find that project. The link may be wrong.")


def create_project(actor: Actor, project: ProjectDetails, first_session: WorkshopDetails,
                   constituencies: str, role_templates: list[str],
                   other_roles: list[str]) -> int:
    """Create a project with its first session (its groups and roles); returns the session id."""
    return create_workshop(actor, first_session, constituencies, role_templates, other_roles,
                           project=project)


def project_for_user(user_id: int, project_id, action: Action) -> tuple[Project, Access]:
    """The project and the account's access, if it may take `action` in it.

    A project not shared with the account is reported as not found, so its existence stays
    private.
    """
    project = db.session.get(Project, project_id) if isinstance(project_id, int) else None
    newest = newest_session_id(project.id) if project else None
    access = access_of(user_id, newest) if newest else None
    if access is None:
        raise NotFound(PROJECT_NOT_FOUND)
    require(access, action)
    return project, access


def newest_session_id(project_id: int) -> int | None:
    """The project's latest session (the one being prepared or run)."""
    ids = session_ids(project_id)
    return ids[-1] if ids else None


def sessions_of(project_id: int) -> list[Workshop]:
    """The project's sessions, first first."""
    return list(db.session.scalars(select(Workshop).where(Workshop.project_id == project_id)
                                   .order_by(Workshop.session_number, Workshop.id)))


def projects_for(user_id: int) -> list[tuple[Project, str]]:
    """The projects an account owns or shares, newest first, with its access to each."""
    rows = db.session.execute(
        select(Project, WorkshopMember.access).distinct()
        .join(Workshop, Workshop.project_id == Project.id)
        .join(WorkshopMember, WorkshopMember.workshop_id == Workshop.id)
        .where(WorkshopMember.user_id == user_id)
        .order_by(Project.id.desc()))
    return [(project, access) for project, access in rows]


MILESTONE_NOT_FOUND = _("We could not find that milestone. It may have been removed already.")


def update_details(actor: Actor, project_id: int, details: ProjectDetails) -> bool:
    """Change the project's title, purpose, need or target; returns whether anything changed."""
    details = clean_project(details)
    with unit_of_work(actor) as unit:
        project, _access = project_for_user(actor.user_id, project_id, Action.RUN)
        changes = apply_changes(project, {name: getattr(details, name) for name in (
            "title", "purpose", "population_need", "target_per_group")})
        if changes:
            unit.audit("project.details_changed", {"project_id": project.id, **changes},
                       workshop_id=newest_session_id(project.id))
            for session_id in session_ids(project.id):  # the lobby shows joins against it
                unit.refresh(session_id, "counts")
        return bool(changes)


def add_milestone(actor: Actor, project_id: int, title, due_on) -> int:
    """Add a dated step of the project ("outlines to workforce team"); returns its id."""
    title = clean_line(title, limit="milestone_title", field="milestone_title",
                       label=_("Milestone"))
    if not isinstance(due_on, date):
        raise InvalidInput(_("Please give the date it is due, like 14/03/2027."), field="due_on")
    with unit_of_work(actor) as unit:
        project, _access = project_for_user(actor.user_id, project_id, Action.RUN)
        milestone = Milestone(project_id=project.id, title=title, due_on=due_on)
        unit.session.add(milestone)
        unit.session.flush()
        unit.audit("milestone.added", {"project_id": project.id, "milestone_id": milestone.id,
                                       "title": title, "due_on": due_on.isoformat()},
                   workshop_id=newest_session_id(project.id))
        return milestone.id


def complete_milestone(actor: Actor, project_id: int, milestone_id: int, today: date) -> None:
    """Mark a milestone done (on `today`); doing it twice changes nothing."""
    with unit_of_work(actor) as unit:
        project, milestone = _milestone_of(actor, project_id, milestone_id)
        if milestone.done_on is None:
            milestone.done_on = today
            unit.audit("milestone.done", {"project_id": project.id, "milestone_id": milestone.id,
                                          "title": milestone.title, "done_on": today.isoformat()},
                       workshop_id=newest_session_id(project.id))


def remove_milestone(actor: Actor, project_id: int, milestone_id: int) -> None:
    """Take a milestone off the project."""
    with unit_of_work(actor) as unit:
        project, milestone = _milestone_of(actor, project_id, milestone_id)
        unit.audit("milestone.removed", {"project_id": project.id, "milestone_id": milestone.id,
                                         "title": milestone.title,
                                         "due_on": milestone.due_on.isoformat()},
                   workshop_id=newest_session_id(project.id))
        unit.session.delete(milestone)


def _milestone_of(actor: Actor, project_id: int, milestone_id) -> tuple[Project, Milestone]:
    project, _access = project_for_user(actor.user_id, project_id, Action.RUN)
    milestone = db.session.get(Milestone, milestone_id) if isinstance(milestone_id, int) else None
    if milestone is None or milestone.project_id != project.id:
        raise NotFound(MILESTONE_NOT_FOUND)
    return project, milestone


@dataclass(frozen=True)
class MilestoneView:
    """A milestone as the project page shows it."""

    id: int
    title: str
    due_on: date
    done_on: date | None
    overdue: bool


def milestones_of(project: Project, today: date) -> list[MilestoneView]:
    """The project's milestones by due date, each saying whether it is overdue."""
    return [MilestoneView(m.id, m.title, m.due_on, m.done_on,
                          is_overdue(m.due_on, m.done_on, today))
            for m in project.milestones]


def verify_sessions(project_id: int) -> list[tuple[Workshop, audit.ChainCheck]]:
    """Check the audit chain of every session of a project, first session first."""
    if db.session.get(Project, project_id) is None:
        raise NotFound(_("There is no project %(number)s.", number=project_id))
    return [(session, audit.verify(session.id)) for session in sessions_of(project_id)]
