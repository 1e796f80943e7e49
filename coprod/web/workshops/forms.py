"""Forms for creating and setting up a workshop."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from ...domain.access import Access
from ...domain.constituencies import DEFAULT_CONSTITUENCIES
from ...domain.i18n import _
from ...domain.roles import ROLE_TEMPLATES
from ...domain.text import LIMITS, limit_hint
from ..helpers import within_limit


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# Labels, hints and messages are marked (`_`): each is read in the reader's language when the
# page is drawn, so one form class serves Welsh and English.

def _limit(name: str, required=None) -> list:
    first = DataRequired(required) if required else Optional()
    return [first, within_limit(name)]


def _suggested_groups() -> str:
    # Read when the form is drawn, so a Welsh facilitator is offered the groups in Welsh.
    return "\n".join(str(name) for name in DEFAULT_CONSTITUENCIES)


class DetailsForm(FlaskForm):
    title = StringField(_("Workshop title"),
                        validators=_limit("workshop_title", _("Please give the workshop a title.")),
                        description=_("For example: New roles for our community mental health "
                                      "centre. Up to %(count)s characters.",
                                      count=LIMITS["workshop_title"]))
    held_on = DateField(_("Date"), default=date.today,
                        validators=[DataRequired(_("Please give the date, like 14/03/2027."))],
                        invalid_value_message=_("Please give the date, like 14/03/2027."))
    venue = StringField(_("Venue (optional)"), validators=_limit("venue"),
                        description=limit_hint("venue"))


GROUPS_HINT = _("One group per line. Everyone who joins chooses one. Results are always shown "
                "for each group, so no group is outvoted by a bigger one.")


class ConstituenciesForm(FlaskForm):
    constituencies = TextAreaField(_("Groups taking part"), default=_suggested_groups,
                                   description=GROUPS_HINT,
                                   validators=[DataRequired(_("Please list at least one group."))])


class NewWorkshopForm(DetailsForm, ConstituenciesForm):
    templates = CheckboxesField(
        _("Roles to design"), choices=[SelectChoice(t.key, t.title) for t in ROLE_TEMPLATES],
        default=[t.key for t in ROLE_TEMPLATES],
        description=_("Start from these roles. You can change their wording later."))
    other_roles = TextAreaField(_("Other roles (optional)"),
                                description=_("One role title per line, for example: Peer support "
                                              "worker."), validators=[Optional()])


class RoleForm(FlaskForm):
    # Its own ids: the set-up page also holds the details form, whose title is `title`.
    title = StringField(_("Role title"),
                        validators=_limit("role_title", _("Please give the role a title.")),
                        description=limit_hint("role_title"), id="role-title")
    setting = StringField(_("Setting (optional)"), validators=_limit("role_setting"),
                          description=_("Where the role works, for example: Community mental "
                                        "health centre. Up to %(count)s characters.",
                                        count=LIMITS["role_setting"]), id="role-setting")
    purpose = TextAreaField(_("Purpose in one sentence (optional)"),
                            validators=_limit("role_purpose"),
                            description=limit_hint("role_purpose"), id="role-purpose")


class ShareForm(FlaskForm):
    email = EmailField(_("Email address of their account"),
                       validators=[DataRequired(_("Please enter an email address."))])
    access = SelectField(_("What they can do"), choices=[
        SelectChoice(Access.FACILITATOR.value, _("Facilitator: run the workshop with you")),
        SelectChoice(Access.HELPER.value,
                     _("Helper: enter ideas and votes for people without a phone")),
        SelectChoice(Access.LEAD.value, _("Lead: read and export the role outlines")),
    ])


def _whole_number(example: int):
    return _("Please enter a whole number, for example %(example)s.", example=example)


class ConsensusForm(FlaskForm):
    consensus_threshold = IntegerField(
        _("Agreement level (%)"), validators=[InputRequired(_("Please give a percentage."))],
        invalid_value_message=_whole_number(60),
        description=_("An idea is agreed when every group reaches this much support."))
    consensus_min_voters = IntegerField(
        _("Fewest voters for a group to count"),
        validators=[InputRequired(_("Please give a number."))],
        invalid_value_message=_whole_number(2),
        description=_("Groups with fewer voters are shown, but do not decide the result."))
    divisive_gap = IntegerField(
        _("Gap that makes groups differ (points)"),
        validators=[InputRequired(_("Please give a number."))],
        invalid_value_message=_whole_number(30),
        description=_("When groups' support differs by this much or more, the idea is marked "
                      "\"Groups differ\"."))


class ScreenForm(FlaskForm):
    """What reaches the screen: new ideas at once or after approval, one language or both."""

    approve_first = BooleanField(_("Check each new idea before it goes on the screen"),
                                 description=_("New ideas wait on your console until you approve "
                                               "them."))
    bilingual_wall = BooleanField(
        _("Show Welsh and English together on the projector (bilingual wall)"),
        description=_("Every heading and message on the projector shows in Cymraeg and English, "
                      "and each idea shows in both languages once its translation is added. "
                      "Phones and your console stay in each person's own language."))


class ExpectedSizeForm(FlaskForm):
    expected_size = IntegerField(
        _("How many people do you expect? (optional)"), validators=[Optional()],
        invalid_value_message=_whole_number(30),
        description=_("The live console warns you when more people than this join, or join "
                      "faster than a room can. Leave it empty if you do not know."))


class PaperPersonForm(FlaskForm):
    name = StringField(_("Their name or initials"),
                       validators=_limit("nickname", _("Please give a name or initials.")),
                       description=_("So you can find them again. It is never shown on the "
                                     "screen. Up to %(count)s characters.",
                                     count=LIMITS["nickname"]))
    constituency = RadioField(_("Their group"), coerce=int,
                              validators=[InputRequired(_("Please choose their group."))])


class PaperCardForm(FlaskForm):
    kind = RadioField(_("Kind of idea"), default="responsibility", choices=[
        SelectChoice("responsibility", _("Responsibility: something the role does")),
        SelectChoice("competence", _("Competence: something the role needs"))])
    role_id = SelectField(_("For which role"), coerce=int, default=0, validate_choice=False)
    text = TextAreaField(_("Their idea"),
                         validators=_limit("card_text", _("Please write their idea.")),
                         description=limit_hint("card_text"))


class VoteTooForm(FlaskForm):
    constituency = RadioField(_("Which group do you vote with?"), coerce=int,
                              validators=[InputRequired(_("Please choose a group."))])
