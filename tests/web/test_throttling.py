"""Throttling wrong join codes (per address and from everyone), and counts kept in Redis."""

import shutil
from contextlib import contextmanager

import pytest
import redis

from coprod.config import default_config
from coprod.domain.errors import InvalidInput
from coprod.domain.joincode import ALPHABET, LENGTH
from coprod.extensions import db
from coprod.models import Participant, Workshop
from coprod.services import accounts, throttle
from coprod.services.throttle import TooManyTries

from ..factories import PASSWORD, group_id, make_user, make_workshop

VENUE = "198.51.100.1"  # a venue's Wi-Fi: everyone behind one NAT address


def a_workshop() -> tuple[int, str]:
    workshop_id = make_workshop(make_user())
    return workshop_id, db.session.get(Workshop, workshop_id).join_code


def wrong_code_for(code: str, number: int = 0) -> str:
    """A mistyped code: one character changed (never the real one)."""
    position = number % LENGTH
    others = [letter for letter in ALPHABET if letter != code[position]]
    return code[:position] + others[number // LENGTH % len(others)] + code[position + 1:]


def phone(app, address: str = VENUE):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def join_by_typing(client, code: str, workshop_id: int) -> int:
    """Type the code, read the notice, choose a group: the status of the last step."""
    typed = client.post("/join", data={"code": code})
    assert typed.status_code == 302, typed.status_code
    client.get(typed.headers["Location"])
    return client.post(typed.headers["Location"], data={
        "constituency": group_id(workshop_id, "Carer"), "consent": "y", "nickname": ""}).status_code


def test_a_venue_of_300_behind_one_address_all_join_even_with_typos(app):
    app.config["WTF_CSRF_ENABLED"] = False  # 300 phones: leave out the token round trips
    workshop_id, code = a_workshop()
    for number in range(300):
        client = phone(app)
        if number % 10 == 0:  # one in ten types the code wrong first
            assert client.post("/join", data={"code": wrong_code_for(code, number)}).status_code == 400
        assert join_by_typing(client, code, workshop_id) == 302
    assert db.session.query(Participant).filter_by(workshop_id=workshop_id).count() == 300


def test_a_script_hammering_wrong_codes_is_refused_after_the_limit(app):
    app.config["WTF_CSRF_ENABLED"] = False
    workshop_id, code = a_workshop()
    already_in = phone(app)
    assert join_by_typing(already_in, code, workshop_id) == 302
    script = phone(app)
    answers = [script.post("/join", data={"code": wrong_code_for(code, n)}).status_code
               for n in range(60)]
    assert answers == [400] * 60
    refused = script.post("/join", data={"code": wrong_code_for(code, 60)})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    page = refused.get_data(as_text=True)
    assert "Too many codes that did not work" in page and "Please wait" in page
    # The right code is refused too while the address waits: the answer must not tell.
    assert script.post("/join", data={"code": code}).status_code == 429
    assert script.get(f"/j/{code}").status_code == 429
    assert script.get(f"/p/{code}").status_code == 429
    # Someone at another address joins; someone who joined from this one still gets back in.
    assert join_by_typing(phone(app, "203.0.113.5"), code, workshop_id) == 302
    assert already_in.get(f"/j/{code}").headers["Location"] == f"/p/{code}"
    assert already_in.get(f"/p/{code}").status_code == 200


def test_wrong_codes_in_links_count_too(app):
    _, code = a_workshop()
    script = phone(app)
    for number in range(30):
        assert script.get(f"/j/{wrong_code_for(code, number)}").status_code == 404
        assert script.get(f"/p/{wrong_code_for(code, number + 30)}").status_code == 404
    assert script.get(f"/j/{wrong_code_for(code, 61)}").status_code == 429


def test_wrong_codes_from_everywhere_together_are_capped(app):
    workshop_id, code = a_workshop()
    for number in range(1000):  # 20 addresses, 50 wrong codes each: none reaches its own limit
        address = f"203.0.113.{number % 20 + 1}"
        assert phone(app, address).get(f"/j/{wrong_code_for(code, number)}").status_code == 404
    assert phone(app, "192.0.2.99").get(f"/j/{code}").status_code == 429


def test_an_ipv6_client_is_counted_by_its_64():
    assert throttle.address_key("2001:db8:1:2::1") == throttle.address_key("2001:db8:1:2:ffff::9")
    assert throttle.address_key("2001:db8:1:2::1") != throttle.address_key("2001:db8:1:3::1")
    assert throttle.address_key("192.0.2.1") != throttle.address_key("192.0.2.2")


def test_rate_limits_use_the_message_queues_redis_unless_told_otherwise(monkeypatch, tmp_path):
    monkeypatch.delenv("COPROD_RATE_LIMIT_STORAGE", raising=False)
    monkeypatch.delenv("COPROD_MESSAGE_QUEUE", raising=False)
    assert default_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("COPROD_MESSAGE_QUEUE", "redis://queue.internal:6379/0")
    assert default_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://queue.internal:6379/0"
    monkeypatch.setenv("COPROD_RATE_LIMIT_STORAGE", "redis://limits.internal:6379/2")
    assert default_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://limits.internal:6379/2"


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:  # .ci/system-packages installs it
        pytest.skip("redis-server is not installed")
    from ..support.redis_server import RedisServer
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    return redis_server.url


@contextmanager
def worker(database_url: str, redis: str):
    """One server process's app, counting in this Redis (a restart is a new one)."""
    from coprod import create_app
    from tests.conftest import IsolatedClient
    app = create_app({"TESTING": True, "SECRET_KEY": "test secret", "ASYNC_MODE": "threading",
                      "SQLALCHEMY_DATABASE_URI": database_url, "LIVE_LOOP": False,
                      "RATELIMIT_STORAGE_URI": redis, "WTF_CSRF_ENABLED": False})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.mark.redis
def test_counts_in_redis_hold_across_workers_and_restarts(database_url, redis_url):
    with worker(database_url, redis_url) as first:
        _, code = a_workshop()
        email = make_user().email
        for number in range(60):
            assert phone(first).get(f"/j/{wrong_code_for(code, number)}").status_code == 404
        for _ in range(5):
            with pytest.raises(InvalidInput):
                accounts.authenticate(email, "a wrong guess", "192.0.2.40")
        assert any(redis.Redis.from_url(redis_url).scan_iter())  # counted there, not in memory
    with worker(database_url, redis_url) as restarted:  # another worker, or after a restart
        assert phone(restarted).get(f"/j/{code}").status_code == 429
        assert phone(restarted, "203.0.113.5").get(f"/j/{code}").status_code == 200
        with pytest.raises(TooManyTries):
            accounts.authenticate(email, PASSWORD, "192.0.2.41")


@pytest.mark.redis
def test_when_redis_is_away_people_still_join_and_sign_in(database_url, redis_server, caplog):
    with worker(database_url, redis_server.url) as app:
        workshop_id, code = a_workshop()
        email = make_user().email
        redis_server.stop()
        assert join_by_typing(phone(app), code, workshop_id) == 302
        assert phone(app).get(f"/j/{wrong_code_for(code)}").status_code == 404
        assert accounts.authenticate(email, PASSWORD).email == email
    assert "Throttling counts could not be reached" in caplog.text
