"""Forms for signing in, the first-run setup, passwords and accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ...domain.access import ACCOUNT_ROLE_LABELS
from ...domain.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ...domain.text import LIMITS

PASSWORD_HINT = f"At least {MIN_PASSWORD_LENGTH} characters. A few words together works well."
NAME_TOO_LONG = f"Please keep this to {LIMITS['display_name']} characters or fewer."


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Please enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired("Please enter your password.")])


class _NewPassword:
    password = PasswordField(
        "Password", description=PASSWORD_HINT,
        validators=[DataRequired("Please choose a password."),
                    Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, PASSWORD_HINT)])
    confirm = PasswordField("Type the password again", validators=[
        DataRequired("Please type the password again."),
        EqualTo("password", "The two passwords are not the same. Please type them again.")])


class AccountForm(_NewPassword, FlaskForm):
    display_name = StringField("Your name", validators=[
        DataRequired("Please enter a name."), Length(max=LIMITS["display_name"],
                                                     message=NAME_TOO_LONG)])
    email = EmailField("Email address", validators=[DataRequired("Please enter an email address.")])


class NewAccountForm(AccountForm):
    display_name = StringField("Their name", validators=[
        DataRequired("Please enter a name."), Length(max=LIMITS["display_name"],
                                                     message=NAME_TOO_LONG)])
    role = SelectField("Kind of account", choices=[
        SelectChoice(role.value, label) for role, label in ACCOUNT_ROLE_LABELS.items()],
        description="Facilitators run workshops. Helpers enter ideas and votes for people "
                    "without a phone. Leads read and export agreed role outlines.")


class ChangePasswordForm(_NewPassword, FlaskForm):
    current_password = PasswordField("Current password", validators=[
        DataRequired("Please enter your current password.")])
