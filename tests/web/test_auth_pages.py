"""Signing in and out through the pages, CSRF on every form, the setup link and accounts."""

from coprod.extensions import db
from coprod.models import User
from coprod.services import accounts

from ..conftest import csrf_token
from ..factories import PASSWORD, make_user


def sign_in(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client)})


def test_sign_in_leads_to_your_workshops(client, app):
    user = make_user()
    response = sign_in(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Your workshops" in client.get("/").get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused_kindly(client, app):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please go back, reload the page and try again" in page
    assert "open for a long time" not in page  # it was missing, not old
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_a_form_left_open_too_long_says_so(client, app):
    user = make_user()
    token = csrf_token(client)
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is now too old
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 400
    assert "This page was open for a long time" in response.get_data(as_text=True)


def test_a_wrong_password_shows_the_problem_on_the_form(client, app):
    user = make_user()
    response = sign_in(client, user.email, "not it at all")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and "do not match" in page


def test_the_sign_in_page_slows_down_one_address_guessing_many_accounts(client, app):
    for number in range(10):
        sign_in(client, f"guess{number}@example.org", "Summer2027!")
    page = sign_in(client, make_user().email).get_data(as_text=True)
    assert "Please wait" in page and "Your workshops" not in page


def test_behind_a_trusted_proxy_each_phone_address_is_counted_apart(database_url):
    from coprod import create_app
    from tests.conftest import IsolatedClient
    app = create_app({"TESTING": True, "SECRET_KEY": "test secret", "ASYNC_MODE": "threading",
                      "SQLALCHEMY_DATABASE_URI": database_url, "LIVE_LOOP": False,
                      "TRUSTED_PROXIES": 1})
    app.test_client_class = IsolatedClient
    with app.app_context():
        client = app.test_client()
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.7"
        for number in range(10):
            sign_in(client, f"guess{number}@example.org", "Summer2027!")
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.8"  # someone else on the Wi-Fi
        assert sign_in(client, make_user().email).status_code == 302
        db.session.remove()
        db.engine.dispose()


def test_signing_out_needs_a_post_and_ends_the_session(client, app):
    user = make_user()
    sign_in(client, user.email)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert client.get("/workshops/new").status_code == 302  # back to sign in


def test_a_session_cookie_stops_working_after_signing_out_elsewhere(client, app):
    user = make_user()
    sign_in(client, user.email)
    accounts.end_sessions(user.id)  # e.g. signed out on another computer
    response = client.get("/workshops/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_setup_link_creates_the_first_account_once(client, app):
    token = accounts.issue_setup_token()
    page = client.get(f"/setup/{token}")
    assert page.status_code == 200 and "Create the first account" in page.get_data(as_text=True)
    response = client.post(f"/setup/{token}", data={
        "display_name": "Alex", "email": "alex@example.org", "password": PASSWORD,
        "confirm": PASSWORD, "csrf_token": csrf_token(client, f"/setup/{token}")})
    assert response.status_code == 302
    assert db.session.query(User).one().role == "admin"
    assert client.get(f"/setup/{token}").status_code == 404


def test_setup_refuses_mismatched_passwords(client, app):
    token = accounts.issue_setup_token()
    response = client.post(f"/setup/{token}", data={
        "display_name": "Alex", "email": "alex@example.org", "password": PASSWORD,
        "confirm": "something else entirely", "csrf_token": csrf_token(client, f"/setup/{token}")})
    assert response.status_code == 400
    assert "not the same" in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_changing_the_password_through_the_page(client, app):
    user = make_user()
    sign_in(client, user.email)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "password": "another long password",
        "confirm": "another long password", "csrf_token": csrf_token(client, "/account/password")})
    assert response.status_code == 302
    assert accounts.authenticate(user.email, "another long password")
    assert "Sign out" in client.get("/").get_data(as_text=True)  # still signed in here


def test_only_admins_manage_accounts(client, app):
    facilitator = make_user()
    sign_in(client, facilitator.email)
    assert client.get("/admin/accounts").status_code == 403


def test_an_admin_creates_a_lead_account(client, app):
    admin = make_user("admin")
    sign_in(client, admin.email)
    response = client.post("/admin/accounts", data={
        "display_name": "Health board lead", "email": "lead@example.org", "role": "lead",
        "password": PASSWORD, "confirm": PASSWORD,
        "csrf_token": csrf_token(client, "/admin/accounts")})
    assert response.status_code == 302
    assert db.session.query(User).filter_by(email="lead@example.org").one().role == "lead"
