"""Forms for signing in, the first-run setup, passwords and accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from ...domain.access import ACCOUNT_ROLE_LABELS
from ...domain.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ...domain.i18n import _
from ...domain.text import LIMITS
from ..helpers import EqualTo, Length

# Marked (`_`): read in the reader's language each time the page is drawn.
PASSWORD_HINT = _("At least %(least)s characters. A few words together works well.",
                  least=MIN_PASSWORD_LENGTH)
NAME_TOO_LONG = _("Please keep this to %(most)s characters or fewer.",
                  most=LIMITS["display_name"])


class SignInForm(FlaskForm):
    email = EmailField(_("Email address"),
                       validators=[DataRequired(_("Please enter your email address."))])
    password = PasswordField(_("Password"),
                             validators=[DataRequired(_("Please enter your password."))])


class _NewPassword:
    password = PasswordField(
        _("Password"), description=PASSWORD_HINT,
        validators=[DataRequired(_("Please choose a password.")),
                    Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, PASSWORD_HINT)])
    confirm = PasswordField(_("Type the password again"), validators=[
        DataRequired(_("Please type the password again.")),
        EqualTo("password", _("The two passwords are not the same. Please type them again."))])


class AccountForm(_NewPassword, FlaskForm):
    display_name = StringField(_("Your name"), validators=[
        DataRequired(_("Please enter a name.")), Length(max=LIMITS["display_name"],
                                                        message=NAME_TOO_LONG)])
    email = EmailField(_("Email address"),
                       validators=[DataRequired(_("Please enter an email address."))])


class NewAccountForm(AccountForm):
    display_name = StringField(_("Their name"), validators=[
        DataRequired(_("Please enter a name.")), Length(max=LIMITS["display_name"],
                                                        message=NAME_TOO_LONG)])
    role = SelectField(_("Kind of account"), choices=[
        SelectChoice(role.value, label) for role, label in ACCOUNT_ROLE_LABELS.items()],
        description=_("Facilitators run workshops. Helpers enter ideas and votes for people "
                      "without a phone. Leads read and export agreed role outlines."))


class ChangePasswordForm(_NewPassword, FlaskForm):
    current_password = PasswordField(_("Current password"), validators=[
        DataRequired(_("Please enter your current password."))])
