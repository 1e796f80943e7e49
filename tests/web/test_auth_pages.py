"""Signing in and out through the pages, CSRF on every form, the setup link and accounts."""

from contextlib import contextmanager

from coprod.extensions import db
from coprod.models import User
from coprod.services import accounts
from coprod.web.auth.routes import DEVICE_COOKIE

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
    response = sign_in(client, make_user().email)
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and 0 < int(response.headers["Retry-After"]) <= 60
    assert "Please wait" in page and "then try again" in page and "Your workshops" not in page


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


def test_a_sign_in_leaves_a_long_lived_signed_device_cookie(client, app):
    user = make_user()
    response = sign_in(client, user.email)
    cookie = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith(f"{DEVICE_COOKIE}="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/login" in cookie
    assert "Max-Age=31536000" in cookie and "Secure" not in cookie  # plain http in tests
    token = cookie.split(";")[0].split("=", 1)[1]
    assert accounts.read_device_token(token).user_id == user.id


def test_the_owners_laptop_signs_in_while_someone_else_hammers_the_account(client, app):
    user = make_user()
    sign_in(client, user.email)  # the owner's laptop becomes a known device
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    answers = {sign_in(attacker, user.email, f"guess number {n}").status_code for n in range(12)}
    assert answers == {400, 429}  # wrong, then refused before the password is even looked at
    assert sign_in(attacker, user.email).status_code == 429  # even with the right password
    response = sign_in(client, user.email)  # the owner, from the laptop
    assert response.status_code == 302
    assert "Your workshops" in client.get("/").get_data(as_text=True)


def sign_in_then(client, next_page):
    user = make_user()
    return client.post(f"/login?next={next_page}", data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)})


def test_after_sign_in_only_a_page_on_this_site_is_followed(client, app):
    for off_site in ("/%09/evil.example/", "/%5Cevil.example", "/%5C%5Cevil.example", "//evil.example",
                     "https://evil.example", "%0A//evil.example", "/%0D%0A/evil.example",
                     "javascript:alert(1)"):
        response = sign_in_then(client, off_site)
        assert response.headers["Location"] == "/", off_site
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert sign_in_then(client, "/workshops/1").headers["Location"] == "/workshops/1"


@contextmanager
def app_with(database_url, **config):
    """An app with settings of its own, as a deployment would start it."""
    from coprod import create_app
    from tests.conftest import IsolatedClient
    app = create_app({"TESTING": True, "SECRET_KEY": "test secret", "ASYNC_MODE": "threading",
                      "SQLALCHEMY_DATABASE_URI": database_url, "LIVE_LOOP": False, **config})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def cookies_after_sign_in(app) -> list[str]:
    client = app.test_client()
    response = client.post("/login", data={"email": make_user().email, "password": PASSWORD,
                                           "csrf_token": csrf_token(client)},
                           headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    return response.headers.getlist("Set-Cookie")


def test_an_https_public_url_makes_every_cookie_secure_and_sends_hsts(database_url):
    with app_with(database_url, PUBLIC_URL="https://coprod.example.org") as app:
        cookies = cookies_after_sign_in(app)
        assert {cookie.split("=")[0] for cookie in cookies} >= {"session", DEVICE_COOKIE}
        assert all("; Secure" in cookie for cookie in cookies)
        assert app.config["REMEMBER_COOKIE_SECURE"] is True
        headers = app.test_client().get("/login").headers
        assert headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_secure_cookies_setting_does_the_same(database_url, monkeypatch):
    monkeypatch.setenv("COPROD_SECURE_COOKIES", "1")
    with app_with(database_url, PUBLIC_URL="http://192.168.1.20:5000") as app:
        assert all("; Secure" in cookie for cookie in cookies_after_sign_in(app))
        assert "Strict-Transport-Security" in app.test_client().get("/login").headers


def test_plain_http_sends_no_hsts(client, app):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_vote_too_ends_at_sign_out_so_the_next_person_cannot_vote_as_you(client, app):
    from coprod.models import Workshop

    from ..factories import group_id, make_workshop, set_phase
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    code = db.session.get(Workshop, workshop_id).join_code
    sign_in(client, owner.email)
    client.post(f"/workshops/{workshop_id}/vote-too", data={
        "constituency": group_id(workshop_id, "Staff"),
        "csrf_token": csrf_token(client, f"/workshops/{workshop_id}/vote-too")})
    assert client.get(f"/p/{code}").status_code == 200  # voting as themselves

    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    # The next person at this laptop gets the join page, not the facilitator's ballot.
    page = client.get(f"/p/{code}")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/j/{code}")


def test_an_admin_switches_an_account_off_and_on_again(client, app):
    from coprod.models import AuditEvent
    admin, colleague = make_user("admin"), make_user()
    sign_in(client, admin.email)
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert f"/admin/accounts/{colleague.id}/enabled" in page
    assert f"/admin/accounts/{admin.id}/enabled" not in page  # never your own account

    assert client.post(f"/admin/accounts/{colleague.id}/enabled",
                       data={"enabled": "0"}).status_code == 400  # no CSRF token: refused
    switched = client.post(f"/admin/accounts/{colleague.id}/enabled", data={
        "enabled": "0", "csrf_token": csrf_token(client, "/admin/accounts")},
        follow_redirects=True)
    assert "can no longer sign in" in switched.get_data(as_text=True)
    assert "Switched off" in switched.get_data(as_text=True)
    assert sign_in(app.test_client(), colleague.email).status_code == 400

    client.post(f"/admin/accounts/{colleague.id}/enabled", data={
        "enabled": "1", "csrf_token": csrf_token(client, "/admin/accounts")})
    assert sign_in(app.test_client(), colleague.email).status_code == 302
    assert [event.action for event in db.session.query(AuditEvent).filter(
        AuditEvent.action.in_(["account.disabled", "account.enabled"])).order_by(
        AuditEvent.id)] == ["account.disabled", "account.enabled"]


def test_only_an_admin_switches_accounts_and_never_their_own(client, app):
    admin, facilitator = make_user("admin"), make_user()
    sign_in(client, facilitator.email)
    assert client.post(f"/admin/accounts/{admin.id}/enabled", data={
        "enabled": "0", "csrf_token": csrf_token(client, "/")}).status_code == 403
    other = app.test_client()
    sign_in(other, admin.email)
    own = other.post(f"/admin/accounts/{admin.id}/enabled", data={
        "enabled": "0", "csrf_token": csrf_token(other, "/admin/accounts")})
    assert own.status_code == 409 and "your own account" in own.get_data(as_text=True)
    assert db.session.get(User, admin.id).is_enabled
