"""Web pages: feature blueprints that parse forms, call services and render templates."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import IntegerConverter

from ..domain.errors import DomainError, InvalidInput
from ..domain.evidence import size_words
from ..domain.i18n import _
from ..domain.text import (
    LARGEST_INTEGER,
    TOO_LARGE,
    UNSHOWABLE,
    has_lone_surrogate,
    number_out_of_range,
)
from ..extensions import db
from .filters import register_filters

PAGE_EXPIRED = _("This page was open for a long time, so we could not accept it safely. "
                 "Nothing was saved. Please go back, reload the page and try again.")
# Any other refusal: the form's safety check was missing or did not match (for example the
# cookie was blocked or cleared), which says nothing about how long the page was open.
NOT_CHECKED = _("We could not check this form safely, so nothing was saved. "
                "Please go back, reload the page and try again.")
UPLOAD_MARGIN = 1024 * 1024  # room for the form's other fields around the largest file
SERVER_ERROR_TITLE = _("Sorry, something went wrong")
SERVER_ERROR = _("Something went wrong on our side. It was not caused by anything you did. "
                 "Please go back and try again in a moment.")


class DatabaseInteger(IntegerConverter):
    """`<int:...>` in a route: a whole number the database can hold, so a longer one is a page
    not found (404), not an overflow in a query (500)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=LARGEST_INTEGER, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def refuse_unreadable_input() -> None:
    """Refuse a form or query whose numbers the database cannot hold, or whose text has a lone
    surrogate, with a kind page (400) before any view reads it."""
    for values in (request.args, request.form):
        for name, value in values.items(multi=True):
            if has_lone_surrogate(name) or has_lone_surrogate(value):
                raise InvalidInput(UNSHOWABLE)
            # Query values are ids, and a field name may end in one ("card-12"). Form values
            # are left to their fields' checks and to row_in_workshop: a name may be all digits.
            if number_out_of_range(name.rpartition("-")[2]) or \
                    (values is request.args and number_out_of_range(value)):
                raise InvalidInput(TOO_LARGE)


def register_blueprints(app: Flask) -> None:
    """Attach every page and the error pages."""
    app.url_map.converters["int"] = DatabaseInteger  # before any route is added
    app.before_request(refuse_unreadable_input)
    from .auth.routes import bp as auth_bp
    from .join.routes import bp as join_bp
    from .outlines.routes import bp as outlines_bp
    from .projects import bp as projects_bp
    from .workshops.routes import bp as workshops_bp

    for blueprint in (auth_bp, join_bp, workshops_bp, outlines_bp, projects_bp):
        app.register_blueprint(blueprint)
    register_filters(app)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        # A little above the largest PDF, so a file just over it still reaches the form and gets
        # its own message; anything larger is stopped before it is read (413, below).
        app.config["MAX_CONTENT_LENGTH"] = app.config["EVIDENCE_MAX_BYTES"] + UPLOAD_MARGIN

    @app.errorhandler(413)
    def too_large(_error):
        size, most = request.content_length, app.config["EVIDENCE_MAX_BYTES"]
        message = _("That file is %(size)s. The largest we can take is %(most)s.",
                    size=size_words(size), most=size_words(most)) if size else \
            _("That file is too large. The largest we can take is %(most)s.",
              most=size_words(most))
        return render_template("error.html", title=_("That file is too large"),
                               message=message), 413

    @app.errorhandler(CSRFError)
    def page_expired(error: CSRFError):
        expired = "expired" in (error.description or "")  # Flask-WTF: "...token has expired."
        return render_template("error.html", title=_("Please try again"),
                               message=PAGE_EXPIRED if expired else NOT_CHECKED), 400

    @app.errorhandler(DomainError)
    def rule_broken(error: DomainError):
        return render_template("error.html", title=_("We could not do that"),
                               message=error.message), error.status

    @app.errorhandler(403)
    def forbidden(_error):
        return render_template("error.html", title=_("Not allowed"),
                               message=_("Your account cannot open this page.")), 403

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", title=_("Page not found"),
                               message=_("We could not find that page. Please check the link.")), 404

    @app.errorhandler(InternalServerError)
    def server_error(_error):
        # Flask has already logged the exception with its traceback (Flask.log_exception). Undo
        # what the request half-wrote, so this page (it may load the signed-in account) and the
        # next request start clean. The exception's text is never shown: it is for the log.
        db.session.rollback()
        try:
            return render_template("error.html", title=SERVER_ERROR_TITLE,
                                   message=SERVER_ERROR), 500
        except Exception:  # the database itself may be what failed: still answer kindly
            app.logger.exception("The error page could not be drawn either")
            return f"{SERVER_ERROR_TITLE}. {SERVER_ERROR}", 500, {"Content-Type": "text/plain"}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self' ws: wss:; frame-ancestors 'none'; form-action 'self'")
        return response
