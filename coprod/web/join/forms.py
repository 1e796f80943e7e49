"""The forms a phone sees: the join code and the consent notice."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ...domain.text import LIMITS, limit_hint


class CodeForm(FlaskForm):
    code = StringField("Join code", description="The 6 letters and numbers on the screen.",
                       validators=[DataRequired("Please type the code from the screen.")])


class JoinForm(FlaskForm):
    constituency = RadioField("Which group fits you best?", coerce=int, validate_choice=True,
                              validators=[DataRequired("Please choose the group that fits you best.")])
    nickname = StringField(
        "First name or nickname (optional)",
        description="Only the facilitator sees this. You can leave it empty. "
                    f"{limit_hint('nickname')}",
        validators=[Optional(), Length(max=LIMITS["nickname"],
                                       message=f"Please use up to {LIMITS['nickname']} characters.")])
    consent = BooleanField("I have read this and I want to take part", validators=[
        DataRequired("Please tick the box to say you have read how we use your answers.")])
