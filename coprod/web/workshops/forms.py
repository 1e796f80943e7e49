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
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...domain.access import Access
from ...domain.constituencies import DEFAULT_CONSTITUENCIES
from ...domain.labels import KIND_LABELS
from ...domain.roles import ROLE_TEMPLATES
from ...domain.text import LIMITS, limit_hint


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _limit(name: str, required: str | None = None) -> list:
    first = DataRequired(required) if required else Optional()
    return [first, Length(max=LIMITS[name], message=f"Please use up to {LIMITS[name]} characters.")]


class DetailsForm(FlaskForm):
    title = StringField("Workshop title", validators=_limit("workshop_title",
                                                           "Please give the workshop a title."),
                        description="For example: New roles for our community mental health "
                                    f"centre. {limit_hint('workshop_title')}")
    held_on = DateField("Date", default=date.today,
                        validators=[DataRequired("Please give the date, like 14/03/2027.")])
    venue = StringField("Venue (optional)", validators=_limit("venue"),
                        description=limit_hint("venue"))


GROUPS_HINT = ("One group per line. Everyone who joins chooses one. Results are always shown for "
               "each group, so no group is outvoted by a bigger one.")


class ConstituenciesForm(FlaskForm):
    constituencies = TextAreaField("Groups taking part", default="\n".join(DEFAULT_CONSTITUENCIES),
                                   description=GROUPS_HINT,
                                   validators=[DataRequired("Please list at least one group.")])


class NewWorkshopForm(DetailsForm, ConstituenciesForm):
    templates = CheckboxesField(
        "Roles to design", choices=[SelectChoice(t.key, t.title) for t in ROLE_TEMPLATES],
        default=[t.key for t in ROLE_TEMPLATES],
        description="Start from these roles. You can change their wording later.")
    other_roles = TextAreaField("Other roles (optional)",
                                description="One role title per line, for example: Peer support "
                                            "worker.", validators=[Optional()])


class RoleForm(FlaskForm):
    # Its own ids: the set-up page also holds the details form, whose title is `title`.
    title = StringField("Role title", validators=_limit("role_title", "Please give the role a title."),
                        description=limit_hint("role_title"), id="role-title")
    setting = StringField("Setting (optional)", validators=_limit("role_setting"),
                          description="Where the role works, for example: Community mental "
                                      f"health centre. {limit_hint('role_setting')}", id="role-setting")
    purpose = TextAreaField("Purpose in one sentence (optional)", validators=_limit("role_purpose"),
                            description=limit_hint("role_purpose"), id="role-purpose")


class ShareForm(FlaskForm):
    email = EmailField("Email address of their account",
                       validators=[DataRequired("Please enter an email address.")])
    access = SelectField("What they can do", choices=[
        SelectChoice(Access.FACILITATOR.value, "Facilitator: run the workshop with you"),
        SelectChoice(Access.HELPER.value, "Helper: enter ideas and votes for people without a phone"),
        SelectChoice(Access.LEAD.value, "Lead: read and export the role outlines"),
    ])


def _whole_number(example: int) -> str:
    return f"Please enter a whole number, for example {example}."


class ConsensusForm(FlaskForm):
    consensus_threshold = IntegerField(
        "Agreement level (%)", validators=[InputRequired("Please give a percentage.")],
        invalid_value_message=_whole_number(60),
        description="An idea is agreed when every group reaches this much support.")
    consensus_min_voters = IntegerField(
        "Fewest voters for a group to count", validators=[InputRequired("Please give a number.")],
        invalid_value_message=_whole_number(2),
        description="Groups with fewer voters are shown, but do not decide the result.")
    divisive_gap = IntegerField(
        "Gap that makes an idea divisive (points)", validators=[InputRequired("Please give a number.")],
        invalid_value_message=_whole_number(30),
        description="When groups' support differs by this much or more, the idea is marked divisive.")


class ModerationForm(FlaskForm):
    approve_first = BooleanField("Check each new idea before it goes on the screen",
                                 description="New ideas wait on your console until you approve them.")


class ExpectedSizeForm(FlaskForm):
    expected_size = IntegerField(
        "How many people do you expect? (optional)", validators=[Optional()],
        invalid_value_message=_whole_number(30),
        description="The live console warns you when more people than this join, or join faster "
                    "than a room can. Leave it empty if you do not know.")


class PaperPersonForm(FlaskForm):
    name = StringField("Their name or initials",
                       validators=_limit("nickname", "Please give a name or initials."),
                       description="So you can find them again. It is never shown on the screen. "
                                   + limit_hint("nickname"))
    constituency = RadioField("Their group", coerce=int,
                              validators=[InputRequired("Please choose their group.")])


class PaperCardForm(FlaskForm):
    kind = RadioField("Kind of idea", default="responsibility", choices=[
        SelectChoice("responsibility", f"{KIND_LABELS['responsibility']}: something the role does"),
        SelectChoice("competence", f"{KIND_LABELS['competence']}: something the role needs")])
    role_id = SelectField("For which role", coerce=int, default=0, validate_choice=False)
    text = TextAreaField("Their idea", validators=_limit("card_text", "Please write their idea."),
                         description=limit_hint("card_text"))


class VoteTooForm(FlaskForm):
    constituency = RadioField("Which group do you vote with?", coerce=int,
                              validators=[InputRequired("Please choose a group.")])
