"""The forms a phone sees: the join code and the consent notice."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import DataRequired, Optional

from ...domain.i18n import _
from ...domain.text import LIMITS
from ..helpers import within_limit


class CodeForm(FlaskForm):
    code = StringField(_("Join code"), description=_("The 6 letters and numbers on the screen."),
                       validators=[DataRequired(_("Please type the code from the screen."))])


class JoinForm(FlaskForm):
    # The service checks the group is one offered (wtforms' own "Not a valid choice." would be
    # English on a Welsh page).
    constituency = RadioField(_("Which group fits you best?"), coerce=int, validate_choice=False,
                              validators=[DataRequired(
                                  _("Please choose the group that fits you best."))])
    nickname = StringField(
        _("First name or nickname (optional)"),
        description=_("Only the facilitator sees this. You can leave it empty. "
                      "Up to %(most)s characters.", most=LIMITS["nickname"]),
        validators=[Optional(), within_limit("nickname")])
    consent = BooleanField(_("I have read this and I want to take part"), validators=[
        DataRequired(_("Please tick the box to say you have read how we use your answers."))])
