"""Project pages: starting a project, the project page (details, sessions, milestones, record)
and its export."""

from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...domain.access import CAN_CREATE_WORKSHOPS, AccountRole, Action, allows
from ...domain.i18n import _
from ...domain.projects import ProjectDetails
from ...domain.text import split_lines
from ...exports import wording
from ...services import project_export, projects
from ...services.access import workshop_for_user
from ...services.project_record import record
from ...services.workshops import WorkshopDetails
from ..helpers import attempt, current_actor, done, download, status_for
from . import bp
from .forms import MilestoneForm, NewProjectForm, ProjectForm


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Start a role redesign project with its first session."""
    if AccountRole(current_user.role) not in CAN_CREATE_WORKSHOPS:
        abort(403)  # helpers and leads work on projects shared with them
    form = NewProjectForm()
    if form.validate_on_submit():
        ok, session_id = attempt(form, _create, form)
        if ok:
            done(_("Your project is ready, with its first session. Share the session's join "
                   "code when you want people to join."))
            return redirect(url_for(".show", project_id=_project_of(session_id)))
    return render_template("projects/new.html", form=form), status_for(form)


def _details(form: ProjectForm) -> ProjectDetails:
    return ProjectDetails(form.project_title.data or "", form.purpose.data or "",
                          form.population_need.data or "", form.target_per_group.data)


def _create(form: NewProjectForm) -> int:
    first = WorkshopDetails(form.title.data, form.held_on.data, form.venue.data or "")
    return projects.create_project(current_actor(), _details(form), first,
                                   form.constituencies.data, form.templates.data or [],
                                   split_lines(form.other_roles.data, field="other_roles",
                                               label=_("Other roles")))


def _project_of(session_id: int) -> int:
    return workshop_for_user(current_user.id, session_id, Action.READ)[0].project_id


@bp.get("/<int:project_id>")
@login_required
def show(project_id: int):
    """The project page: details, sessions, milestones, the record and its export."""
    return _project_page(project_id)


def _project_page(project_id: int, status: int = 200, **forms):
    project, access = projects.project_for_user(current_user.id, project_id, Action.READ)
    today = date.today()
    details = forms.get("details") or ProjectForm(
        project_title=project.title, purpose=project.purpose,
        population_need=project.population_need, target_per_group=project.target_per_group)
    return render_template(
        "projects/show.html", project=project, details=details,
        milestone_form=forms.get("milestone") or MilestoneForm(),
        milestones=projects.milestones_of(project, today), sessions=projects.sessions_of(project.id),
        record=record(project, today),
        can_run=allows(access, Action.RUN), can_export=allows(access, Action.EXPORT),
        wording=wording, switch_page=url_for(".show", project_id=project.id)), status


@bp.post("/<int:project_id>/details")
@login_required
def update_details(project_id: int):
    """Save the project's title, purpose, need and target."""
    form = ProjectForm()
    if form.validate_on_submit():
        ok, changed = attempt(form, projects.update_details, current_actor(), project_id,
                              _details(form))
        if ok:
            done(_("Project details saved.") if changed else _("Nothing had changed."))
            return redirect(url_for(".show", project_id=project_id))
    return _project_page(project_id, status_for(form), details=form)


@bp.post("/<int:project_id>/milestones")
@login_required
def add_milestone(project_id: int):
    """Add a milestone with its due date."""
    form = MilestoneForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, projects.add_milestone, current_actor(), project_id,
                             form.milestone_title.data, form.due_on.data)
        if ok:
            done(_("Milestone added."))
            return redirect(url_for(".show", project_id=project_id, _anchor="milestones"))
    return _project_page(project_id, status_for(form), milestone=form)


@bp.post("/<int:project_id>/milestones/<int:milestone_id>/done")
@login_required
def complete_milestone(project_id: int, milestone_id: int):
    """Mark a milestone done today."""
    projects.complete_milestone(current_actor(), project_id, milestone_id, date.today())
    done(_("Milestone marked as done."))
    return redirect(url_for(".show", project_id=project_id, _anchor="milestones"))


@bp.post("/<int:project_id>/milestones/<int:milestone_id>/remove")
@login_required
def remove_milestone(project_id: int, milestone_id: int):
    """Take a milestone off the project."""
    projects.remove_milestone(current_actor(), project_id, milestone_id)
    done(_("Milestone removed."))
    return redirect(url_for(".show", project_id=project_id, _anchor="milestones"))


@bp.get("/<int:project_id>/export.<fmt>")
@login_required
def export(project_id: int, fmt: str):
    """Download the project's record as PDF or JSON (?language=cy|en), on the audit trail."""
    return download(project_export.export, current_actor(), project_id, fmt,
                    request.args.get("language") or None, date.today())
