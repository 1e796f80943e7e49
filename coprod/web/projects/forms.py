"""Forms for a role redesign project: its details, its first session, and its milestones."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ...domain.i18n import _
from ...domain.projects import TARGET_MOST
from ...domain.text import LIMITS, limit_hint
from ..helpers import within_limit
from ..workshops.forms import NewWorkshopForm


def _limit(name: str, required=None) -> list:
    first = DataRequired(required) if required else Optional()
    return [first, within_limit(name)]


class ProjectForm(FlaskForm):
    """The project itself: what it is, why, and how many people it hopes for from each group."""

    # Field names match the ones the service names in its messages (domain/projects.py).
    project_title = StringField(
        _("Project title"), validators=_limit("project_title", _("Please give the project a title.")),
        description=_("For example: Redesigning roles at our community mental health centre. Up "
                      "to %(count)s characters.", count=LIMITS["project_title"]))
    purpose = TextAreaField(_("What the project is for (optional)"),
                            validators=_limit("project_purpose"),
                            description=limit_hint("project_purpose"))
    population_need = TextAreaField(
        _("The need it serves (optional)"), validators=_limit("population_need"),
        description=_("Who the new roles are for, and what they need, in plain words. Up to "
                      "%(count)s characters.", count=LIMITS["population_need"]))
    target_per_group = IntegerField(
        _("People you hope for from each group, in each session (optional)"),
        validators=[Optional()],
        invalid_value_message=_("Please enter a whole number, for example 10."),
        description=_("The lobby and the live console show who joined against it, like \"Carers "
                      "7 of 10\". Up to %(most)s.", most=TARGET_MOST))


class NewProjectForm(ProjectForm, NewWorkshopForm):
    """A new project with its first session (the new-workshop form's fields)."""

    title = StringField(
        _("Title of the first session"),
        validators=_limit("workshop_title", _("Please give the first session a title.")),
        description=_("For example: Session 1: what the roles should do. Up to %(count)s "
                      "characters.", count=LIMITS["workshop_title"]))


class MilestoneForm(FlaskForm):
    """A dated step of the project."""

    milestone_title = StringField(
        _("Milestone"), validators=_limit("milestone_title", _("Please say what the milestone "
                                                               "is.")),
        description=_("For example: Outlines to the workforce team. Up to %(count)s characters.",
                      count=LIMITS["milestone_title"]))
    due_on = DateField(_("Due on"), default=date.today,
                       validators=[DataRequired(_("Please give the date it is due, like "
                                                  "14/03/2027."))],
                       invalid_value_message=_("Please give the date it is due, like "
                                               "14/03/2027."))
