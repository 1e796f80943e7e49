"""Shared fixtures, in the shape of Flask's tutorial: an app per test on a fresh database."""

import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient

from coprod import create_app
from coprod.extensions import db

from .support.databases import start_databases


@pytest.fixture(scope="session", autouse=True)
def audit_key_file(tmp_path_factory):
    """A throwaway audit key for the run (and servers it starts), never the developer's own."""
    path = tmp_path_factory.mktemp("audit-key") / "audit.key"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPROD_AUDIT_KEY_FILE", str(path))
        yield path


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = start_databases(Path(tmp_path_factory.mktemp("databases")))
    yield factory
    factory.stop()


@pytest.fixture
def database_url(databases):
    return databases.fresh()


@contextmanager
def app_on(database_url: str) -> Iterator[Flask]:
    """An app for tests on this database, inside its app context, cleaned up afterwards."""
    # Uploaded PDFs go to a folder of the app's own, never the developer's instance folder.
    evidence_dir = tempfile.TemporaryDirectory(prefix="coprod-evidence-")
    app = create_app({
        "EVIDENCE_DIR": evidence_dir.name,
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ASYNC_MODE": "threading",
        "PUBLIC_URL": "http://coprod.test",
        # The socket tests flush the notifier themselves, so what they see does not hang on timing.
        "LIVE_LOOP": False,
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    evidence_dir.cleanup()


@pytest.fixture
def app(database_url):
    with app_on(database_url) as app:
        yield app


@pytest.fixture(scope="module")
def module_app(databases):
    """One app and database for a whole module: for tests that share a big workshop."""
    with app_on(databases.fresh()) as app:
        yield app


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The tests keep an app context open to call services; without this, requests would share its
    `g` (and Flask-Login's cached user) and its database session.
    """

    def open(self, *args, **kwargs):
        outer = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(outer)
            # End the test's own read transaction, so it sees what the request committed.
            db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def notifier(app):
    return app.extensions["coprod.notifier"]


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, page: str = "/login") -> str:
    """The CSRF token this client's session must send with every form."""
    html = client.get(page).get_data(as_text=True)
    match = CSRF_FIELD.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)
