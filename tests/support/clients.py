"""Real clients for a running coprod server: HTTP sessions and python-socketio over WebSocket.

Used by the live-server tests and by the benchmark harness, so both speak the real protocol.
"""

import re

import requests
import socketio

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    return CSRF.search(page.text).group(1)


def sign_in(base_url: str, email: str, password: str) -> requests.Session:
    """An HTTP session signed in as this account."""
    session = requests.Session()
    response = session.post(f"{base_url}/login", data={
        "csrf_token": _csrf(session, f"{base_url}/login"), "email": email, "password": password},
        allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:500]
    return session


def join(base_url: str, code: str, constituency_id: int) -> requests.Session:
    """An HTTP session that joined a workshop as a participant (consent given)."""
    session = requests.Session()
    response = session.post(f"{base_url}/j/{code}", data={
        "csrf_token": _csrf(session, f"{base_url}/j/{code}"), "consent": "y",
        "constituency": str(constituency_id)}, allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:500]
    return session


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def live_socket(base_url: str, session: requests.Session, workshop_id: int, view: str,
                **client_options) -> socketio.Client:
    """A Socket.IO client connected over WebSocket with the session's cookies."""
    client = socketio.Client(reconnection=False, **client_options)
    client.connect(base_url, headers={"Cookie": cookie_header(session)},
                   auth={"workshop": workshop_id, "view": view}, transports=["websocket"],
                   wait_timeout=30)
    return client
