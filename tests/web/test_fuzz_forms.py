"""Every form answers malformed input clearly, never with a server error: generated form data
(huge numbers, lone surrogates sent as UTF-8 bytes that are not text, long text, odd field
names) is posted to every POST route in the app's URL map, with ids in the URL that exist, that
do not, and that no database could hold. No 5xx, nothing logged at ERROR, and the audit trail
still verifies."""

import importlib
import logging
import pkgutil

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

import coprod.web
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import audit

from ..conftest import csrf_token
from ..factories import make_user, make_workshop
from .test_auth_pages import sign_in

HUGE = "1" + "0" * 30


def form_field_names() -> set[str]:
    """The name of every field of every form the pages have."""
    names = {"cid", "round_id", "format", "role_id", "version", "template", "enabled"}
    for module in pkgutil.walk_packages(coprod.web.__path__, "coprod.web."):
        if module.name.endswith(".forms"):
            for value in vars(importlib.import_module(module.name)).values():
                if isinstance(value, type) and issubclass(value, FlaskForm):
                    names |= {name for name in dir(value)
                              if isinstance(getattr(value, name, None), UnboundField)}
    return names


FIELDS = sorted(form_field_names())
numbers = st.sampled_from(["0", "-1", "1", "2147483647", "2147483648", HUGE, "1e400", "NaN", "",
                           " 7 ", "12abc"])
text = st.one_of(st.text(max_size=30), st.integers(300, 20_000).map(lambda n: "A" * n),
                 st.sampled_from(["<script>alert(1)</script>", "=1+1", "\x00", "\x07"]))
values = st.one_of(numbers, text)
forms = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10),
                                  st.sampled_from(["card-1", f"card-{HUGE}", "card-x"])),
                        st.one_of(values, st.lists(values, max_size=3)), max_size=6)


class Site:
    """A signed-in owner with one workshop, and the POST routes to aim at."""

    def __init__(self, app):
        self.app = app
        self.owner = make_user()
        self.workshop_id = make_workshop(self.owner)
        workshop = db.session.get(Workshop, self.workshop_id)
        self.ids = {"workshop_id": self.workshop_id, "role_id": workshop.roles[0].id,
                    "user_id": self.owner.id, "person_id": 1}
        self.code = workshop.join_code
        self.client = app.test_client()
        self.sign_in()
        self.routes = [rule for rule in app.url_map.iter_rules()
                       if "POST" in rule.methods and not rule.rule.startswith("/static")
                       and "logout" not in rule.endpoint]

    def sign_in(self):
        sign_in(self.client, self.owner.email)
        self.token = csrf_token(self.client, "/")

    def url(self, rule, choice: int) -> str:
        values = {}
        for name in rule.arguments:
            if name in ("code", "token"):
                values[name] = [self.code, "ZZZZZZ", "x" * 300][choice % 3]
            else:  # an id that exists, one that does not, one no database can hold
                values[name] = [self.ids.get(name, 1), 999_999, 2**31][choice % 3]
        with self.app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **values)
        return url.replace("2147483648", HUGE)


@pytest.fixture
def site(app):
    return Site(app)


def test_every_post_route_is_fuzzed(site):
    assert len(site.routes) >= 15
    assert {"role_id", "expected_size", "constituency", "text", "title"} <= set(FIELDS)


def test_generated_form_data_never_gets_a_server_error(app, site, caplog):
    caplog.set_level(logging.WARNING)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: a failure is a 500 page
    statuses = set()

    @settings(max_examples=400, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(site.routes), st.integers(0, 2), forms, st.booleans())
    def post(rule, choice, data, with_token):
        url = site.url(rule, choice)
        sent = {**data, "csrf_token": site.token} if with_token else data
        response = site.client.post(url, data=sent)
        statuses.add(response.status_code)
        assert response.status_code < 500, (url, data, response.get_data(as_text=True)[:300])
        assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR], url
        if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
            site.sign_in()  # a form that signs the owner out (a password change) ends the session

    post()
    assert all(check.ok for check in audit.verify_all())
    assert {400, 404} <= statuses  # refused kindly, not ignored


def test_a_url_id_too_large_for_the_database_is_a_page_not_found(site):
    for url in (f"/workshops/{HUGE}", f"/workshops/{site.workshop_id}/outlines/{HUGE}",
                "/workshops/2147483648"):
        response = site.client.get(url)
        assert response.status_code == 404 and "could not find that page" in \
            response.get_data(as_text=True)
    assert site.client.get(f"/workshops/{site.workshop_id}").status_code == 200


def test_a_number_too_large_in_a_form_or_query_is_refused_kindly(site):
    response = site.client.get(f"/workshops/{site.workshop_id}/paper?person={HUGE}")
    assert response.status_code == 400 and "That number is too large" in \
        response.get_data(as_text=True)
    # A form's number field answers with its own message; nothing reaches the database.
    refused = site.client.post(f"/workshops/{site.workshop_id}/expected-size",
                               data={"csrf_token": site.token, "expected_size": HUGE})
    assert refused.status_code == 400 and "2000" in refused.get_data(as_text=True)
    posted = site.client.post(f"/workshops/{site.workshop_id}/paper/1/votes",
                              data={"csrf_token": site.token, f"card-{HUGE}": "1"})
    assert posted.status_code == 400
