"""Project pages: starting the project's next session, carrying everything forward."""

from datetime import date

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Optional

from ...domain.access import Action
from ...domain.i18n import _
from ...domain.text import LIMITS, limit_hint
from ...extensions import db
from ...models import Workshop
from ...services import carry, projects
from ...services.workshops import WorkshopDetails
from ..helpers import attempt, current_actor, done, status_for, within_limit
from . import bp

BAD_DATE = _("Please give the date of the session, like 14/03/2027.")


class NextSessionForm(FlaskForm):
    """The next session's title, date and venue; everything else comes from the last one."""

    title = StringField(_("Session title"),
                        validators=[DataRequired(_("Please give the session a title.")),
                                    within_limit("workshop_title")],
                        description=_("For example: Session 2: checking the outlines. Up to "
                                      "%(count)s characters.", count=LIMITS["workshop_title"]))
    held_on = DateField(_("Date"), validators=[DataRequired(BAD_DATE)],
                        invalid_value_message=BAD_DATE)
    venue = StringField(_("Venue (optional)"), validators=[Optional(), within_limit("venue")],
                        description=limit_hint("venue"))


@bp.route("/<int:project_id>/sessions/new", methods=["GET", "POST"])
@login_required
def next_session(project_id: int):
    """Start the project's next session: its ideas, results, groups, roles and outlines carry
    forward from the newest session."""
    project, _access = projects.project_for_user(current_user.id, project_id, Action.RUN)
    previous = db.session.get(Workshop, projects.newest_session_id(project.id))
    form = NextSessionForm()
    if not form.is_submitted():
        form.title.data = str(_("Session %(number)s", number=previous.session_number + 1))
        form.held_on.data, form.venue.data = date.today(), previous.venue
    if form.validate_on_submit():
        details = WorkshopDetails(form.title.data, form.held_on.data, form.venue.data or "")
        ok, session_id = attempt(form, carry.start_next_session, current_actor(), project.id,
                                 details)
        if ok:
            number = db.session.get(Workshop, session_id).session_number
            done(_("Session %(number)s is ready, with everything from session %(before)s. Share "
                   "its join code when you want people to join.", number=number,
                   before=number - 1))
            return redirect(url_for("workshops.show", workshop_id=session_id))
    return render_template("projects/next_session.html", form=form, project=project,
                           previous=previous, not_ready=carry.not_ready_because(previous)), \
        status_for(form)
