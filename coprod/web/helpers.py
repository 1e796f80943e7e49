"""Small pieces every blueprint shares."""

from typing import Callable, TypeVar

from flask import Response, flash, render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import validators
from wtforms.validators import ValidationError

from ..domain.actors import Actor
from ..domain.errors import DomainError, Forbidden
from ..domain.i18n import _
from ..domain.text import LIMITS

T = TypeVar("T")


def current_actor() -> Actor:
    """The signed-in account as the actor of a change."""
    return Actor.user(current_user.id, current_user.role)


def attempt(form: FlaskForm, change: Callable[..., T], *args, **kwargs) -> tuple[bool, T | None]:
    """Run a service call; on a broken rule, show its message on the form field it names.

    Returns (succeeded, result).
    """
    try:
        return True, change(*args, **kwargs)
    except Forbidden:
        raise  # a refusal is the page's answer (403), not a note on the form
    except DomainError as error:
        field = getattr(form, error.field, None) if error.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, error.message] if isinstance(field.errors, list) \
                else [error.message]
        else:
            form.form_errors.append(error.message)
        return False, None


def status_for(form: FlaskForm) -> int:
    """400 when a posted form is being shown again with errors, else 200."""
    has_errors = form.form_errors or any(field.errors for field in form)
    return 400 if has_errors else 200


def done(message) -> None:
    """Confirm a change at the top of the next page (a marked message, read now: the session
    keeps text)."""
    flash(str(message), "success")


class Length(validators.Length):
    """WTForms' Length with a marked message shown as it is (WTForms would fill it in with `%`,
    which a marked message does not take: ours carry their numbers already)."""

    def __call__(self, form, field):
        length = len(field.data or "")
        if length < self.min or (self.max != -1 and length > self.max):
            raise ValidationError(self.message)


def within_limit(limit: str) -> Length:
    """The check that typed text fits its limit (coprod.domain.text.LIMITS), said kindly."""
    most = LIMITS[limit]
    return Length(max=most, message=_("Please use up to %(most)s characters.", most=most))


class EqualTo(validators.EqualTo):
    """WTForms' EqualTo with a marked message shown as it is (see Length)."""

    def __call__(self, form, field):
        if field.data != form[self.fieldname].data:
            raise ValidationError(self.message)


def download(export: Callable[..., object], *args):
    """The file `export(*args)` makes, as a download; a refusal as a kind page instead."""
    try:
        exported = export(*args)
    except DomainError as error:
        return render_template("error.html", title=_("We could not export that"),
                               message=error.message), error.status
    return Response(exported.data, mimetype=exported.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{exported.filename}"'})
