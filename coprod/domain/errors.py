"""Errors raised when a rule is broken.

Every message is written to be shown as it is to the person who caused it: short, kind, plain,
and marked for the Welsh and English catalogue (`_` from coprod.domain.i18n).
"""


class DomainError(Exception):
    """A rule was broken; nothing was changed."""

    code = "invalid"
    status = 400

    def __init__(self, message, *, field: str | None = None):
        # `message` is a marked Message (coprod.domain.i18n) or text: shown in the reader's
        # language when it is turned into text.
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict:
        """The error as a plain dict, for a socket ack or a JSON response."""
        error = {"code": self.code, "message": str(self.message)}
        if self.field:
            error["field"] = self.field
        return error


class InvalidInput(DomainError):
    """The request itself is not right (empty, too long, wrong type)."""


class NotFound(DomainError):
    """The thing asked for does not exist, or the asker may not know it exists."""

    code = "not_found"
    status = 404


class Forbidden(DomainError):
    """The asker is known but may not do this."""

    code = "forbidden"
    status = 403


class Conflict(DomainError):
    """The request is fine but the workshop is not in a state that allows it."""

    code = "conflict"
    status = 409
