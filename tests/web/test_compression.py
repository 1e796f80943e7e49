"""Pages, styles and scripts go out compressed to browsers that ask, and plain to those that do not.

A phone on a venue's weak signal loads the join page, phone.css and phone.js (and socket.io's
client) before it can do anything: compressed, that first load is a fraction of the bytes.
"""

import gzip
import re

import brotli
import pytest

from coprod.extensions import db
from coprod.models import Workshop

from ..factories import group_id, make_user, make_workshop
from .test_join_pages import join_form

CSRF_VALUE = re.compile(rb'(?<=name="csrf_token" type="hidden" value=")[^"]+')
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}
PHONE_FILES = ["/join", "/static/css/phone.css", "/static/js/phone.js", "/static/js/live.js",
               "/static/vendor/socket.io.min.js"]


def fetch(client, path: str, accept: str | None):
    headers = {"Accept-Encoding": accept} if accept else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response


@pytest.mark.parametrize("path", PHONE_FILES)
@pytest.mark.parametrize("accept, expected", [
    ("gzip, deflate", "gzip"),  # what Chromium offers over plain http
    ("gzip, deflate, br, zstd", "br"),  # and over https
])
def test_a_phone_file_comes_compressed_when_asked_and_unpacks_to_the_same_bytes(
        client, path, accept, expected):
    plain = fetch(client, path, None)
    packed = fetch(client, path, accept)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == expected
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = packed.get_data()
    assert len(body) < len(plain.get_data()) * 0.6  # text shrinks well: the point of it all
    if path == "/join":  # the page carries a fresh CSRF token each time; compare without it
        assert b'name="csrf_token"' in DECODE[expected](body)
        assert _without_token(DECODE[expected](body)) == _without_token(plain.get_data())
    else:
        assert DECODE[expected](body) == plain.get_data()


def test_the_live_phone_page_is_compressed_too(client, app):
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    join_form(client, code, constituency=group_id(workshop_id, "Carer"))
    plain = fetch(client, f"/p/{code}", None)
    packed = fetch(client, f"/p/{code}", "gzip")
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()


def test_a_revisit_of_a_compressed_file_is_answered_not_modified(client):
    first = fetch(client, "/static/js/phone.js", "gzip")
    again = client.get("/static/js/phone.js", headers={
        "Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()


def test_socket_io_answers_are_left_to_engine_io(client):
    # Its long-polling answers are text/plain, a type Flask-Compress packs: they must never reach
    # it (Engine.IO answers before Flask, and packs its own payloads when they are big enough).
    handshake = client.get("/socket.io/?EIO=4&transport=polling",
                           headers={"Accept-Encoding": "gzip"})
    assert handshake.status_code == 200 and handshake.get_data().startswith(b"0{")
    assert "Content-Encoding" not in handshake.headers and "Vary" not in handshake.headers


def _without_token(html: bytes) -> bytes:
    return CSRF_VALUE.sub(b"", html)
