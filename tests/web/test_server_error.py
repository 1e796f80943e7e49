"""An unexpected error in a page: a short, kind page that gives nothing away, the full story in
the log, and a database session rolled back so the page (and the next request) work."""

import logging

from coprod.extensions import db
from coprod.models import User

from ..factories import make_user
from .test_auth_pages import sign_in

SECRET = "password=hunter2 in the connection string"


def test_an_unexpected_error_shows_a_kind_page_and_logs_the_traceback(app, client, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production (tests let errors through)
    user = make_user(name="Alex Facilitator")

    @app.get("/test-only/half-written")
    def half_written():
        # A half-written change that fails at the database (a duplicate email), so the session
        # can do nothing more until it is rolled back, then an unexpected error.
        db.session.add(User(email=user.email, display_name="Copy", password_hash="x",
                            role="facilitator"))
        try:
            db.session.flush()
        except Exception as error:
            raise RuntimeError(SECRET) from error

    sign_in(client, user.email)
    with caplog.at_level(logging.ERROR):
        response = client.get("/test-only/half-written")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in page and "not caused by anything you did" in page
    assert "hunter2" not in page and "RuntimeError" not in page and "Traceback" not in page
    # The page drew the signed-in header: the account loaded after the failure was rolled back.
    assert "Alex Facilitator" in page and "Sign out" in page
    logged = [record for record in caplog.records if record.exc_info]
    assert logged and "/test-only/half-written" in logged[0].getMessage()
    assert "Traceback" in caplog.text and SECRET in caplog.text and "IntegrityError" in caplog.text
    assert db.session.query(User).filter_by(email=user.email).count() == 1
    assert client.get("/").status_code == 200  # the next request is fine
