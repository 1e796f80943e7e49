"""Shared fixtures, in the shape of Flask's tutorial: an app per test on a fresh database."""

import re
from pathlib import Path

import pytest

from coprod import create_app
from coprod.extensions import db

from .support.databases import start_databases


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = start_databases(Path(tmp_path_factory.mktemp("databases")))
    yield factory
    factory.stop()


@pytest.fixture
def database_url(databases):
    return databases.fresh()


@pytest.fixture
def app(database_url):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ASYNC_MODE": "threading",
        "PUBLIC_URL": "http://coprod.test",
        # The socket tests flush the notifier themselves, so what they see does not hang on timing.
        "LIVE_LOOP": False,
    })
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


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
