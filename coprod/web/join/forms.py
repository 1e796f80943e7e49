"""The forms a phone sees: the join code and the consent notice."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import DataRequired, Optional, StopValidation

from ...domain.i18n import _
from ...domain.text import LIMITS
from ..helpers import Length, within_limit


class CodeForm(FlaskForm):
    code = StringField(_("Join code"), description=_("The 6 letters and numbers on the screen."),
                       validators=[DataRequired(_("Please type the code from the screen."))])


class GroupUnlessReturning(DataRequired):
    """A group is needed, unless a return code was typed: the code brings its own group (the
    service still asks for one if that group is no longer offered)."""

    def __call__(self, form, field):
        if (form.return_code.data or "").strip() and not form.as_new.data:
            field.errors[:] = []
            raise StopValidation()
        super().__call__(form, field)


class JoinForm(FlaskForm):
    return_code = StringField(
        _("Return code (optional)"),
        description=_("Came to an earlier session? Type your return code to keep your number "
                      "and group."),
        validators=[Optional(), Length(max=20, message=_(
            "We could not use that return code. It may be mistyped, used already, or too old."))])
    # Only offered once a code could not be used: joining as new is always the person's choice.
    as_new = BooleanField(_("Join as someone new"))
    # The service checks the group is one offered (wtforms' own "Not a valid choice." would be
    # English on a Welsh page).
    constituency = RadioField(_("Which group fits you best?"), coerce=int, validate_choice=False,
                              validators=[GroupUnlessReturning(
                                  _("Please choose the group that fits you best."))])
    nickname = StringField(
        _("First name or nickname (optional)"),
        description=_("Only the facilitator sees this. You can leave it empty. "
                      "Up to %(most)s characters.", most=LIMITS["nickname"]),
        validators=[Optional(), within_limit("nickname")])
    consent = BooleanField(_("I have read this and I want to take part"), validators=[
        DataRequired(_("Please tick the box to say you have read how we use your answers."))])
