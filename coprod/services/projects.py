"""Role redesign projects: creating one, loading it for an account, and its sessions.

A project's sessions are workshops that share its roles (carried forward, services/carry.py)
and its sharing: every session has the same members (services/workshops.share keeps them in
step), so the access an account has to a project is its access to the newest session.
Changes to the project itself (its details, milestones, evidence pack) are audited on the
chain of its newest session, the one being prepared.
"""

from sqlalchemy import select

from ..domain.access import Access, Action, require
from ..domain.actors import Actor
from ..domain.errors import NotFound
from ..domain.i18n import _
from ..domain.projects import ProjectDetails
from ..extensions import db
from ..models import Project, Workshop, WorkshopMember
from .access import access_of, session_ids
from .workshops import WorkshopDetails, create_workshop

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
