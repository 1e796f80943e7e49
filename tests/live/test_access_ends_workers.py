"""Two workers behind one Redis queue: signing out on one worker closes the account's screens
on the other at once, and unsharing closes that workshop's screens wherever they are, while
everyone else's screens keep hearing the room."""

import threading
import time

import pytest
import socketio

from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import workshops

from ..factories import actor_of, group_id, make_user, make_workshop, set_phase
from ..support.clients import CSRF, join, live_socket, sign_in
from .test_several_workers import PASSWORD, cluster  # noqa: F401  (the two-worker fixture)

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]


class Screen:
    """A live socket that records every notice and room event it hears."""

    def __init__(self, base_url, session, workshop_id, view):
        self.heard, self.closed = [], threading.Event()
        self.client = live_socket(base_url, session, workshop_id, view)
        for notice in ("signed_out", "access_ended"):
            self.client.on(notice, lambda data, name=notice: self.heard.append((name, data)))
        self.client.on("events", lambda batch: self.heard.extend(
            ("event", event["name"]) for event in batch["events"]))
        self.client.on("disconnect", lambda *reason: self.closed.set())

    def events(self) -> list[str]:
        return [name for kind, name in self.heard if kind == "event"]


def post_form(base_url, session, page, action, data=None):
    token = CSRF.search(session.get(f"{base_url}{page}", timeout=30).text).group(1)
    response = session.post(f"{base_url}{action}", data={"csrf_token": token, **(data or {})},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:300]


def wait_for(condition, what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def refused(base_url, session, workshop_id, view) -> bool:
    try:
        live_socket(base_url, session, workshop_id, view).disconnect()
    except socketio.exceptions.ConnectionError:
        return True
    return False


def test_access_ended_on_one_worker_closes_screens_on_the_other(cluster):  # noqa: F811
    (worker_a, worker_b), _ = cluster
    owner, colleague, witness_user = (make_user(password=PASSWORD) for _ in range(3))
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    for user in (colleague, witness_user):
        workshops.share(actor_of(owner), workshop_id, user.email, "facilitator")
    code = db.session.get(Workshop, workshop_id).join_code

    owner_web = sign_in(worker_a.url, owner.email, PASSWORD)
    colleague_web = sign_in(worker_a.url, colleague.email, PASSWORD)
    owner_console = Screen(worker_b.url, owner_web, workshop_id, "console")
    colleague_console = Screen(worker_b.url, colleague_web, workshop_id, "console")
    colleague_projector = Screen(worker_a.url, colleague_web, workshop_id, "projector")
    witness = Screen(worker_b.url, sign_in(worker_b.url, witness_user.email, PASSWORD),
                     workshop_id, "console")

    # Signed out through worker A: the console on worker B is told and closed.
    started = time.monotonic()
    post_form(worker_a.url, owner_web, "/", "/logout")
    wait_for(owner_console.closed.is_set, "the console on worker B to close")
    print(f"signed out on A, console on B closed after {time.monotonic() - started:.3f} s")
    assert time.monotonic() - started < 5  # at once, not at its next action
    assert [kind for kind, _ in owner_console.heard] == ["signed_out"]

    # Unshared through worker A: the colleague's console (B) and projector (A) close.
    owner_again = sign_in(worker_a.url, owner.email, PASSWORD)
    post_form(worker_a.url, owner_again, f"/workshops/{workshop_id}",
              f"/workshops/{workshop_id}/share/{colleague.id}/remove")
    for screen in (colleague_console, colleague_projector):
        wait_for(screen.closed.is_set, "the unshared screens to close")
        assert "access_ended" in [kind for kind, _ in screen.heard]

    # Someone joins through worker A: the witness hears it, the closed screens hear nothing.
    heard_before = {id(screen): len(screen.heard)
                    for screen in (owner_console, colleague_console, colleague_projector)}
    join(worker_a.url, code, group_id(workshop_id, "Carer"))
    wait_for(lambda: "participant.joined" in witness.events(), "the witness to hear the join")
    time.sleep(1)  # time enough for any stray broadcast to arrive
    for screen in (owner_console, colleague_console, colleague_projector):
        assert len(screen.heard) == heard_before[id(screen)]
        assert "participant.joined" not in screen.events()

    # Coming back is refused, on either worker.
    assert refused(worker_b.url, owner_web, workshop_id, "console")  # the signed-out cookie
    assert refused(worker_b.url, colleague_web, workshop_id, "console")
    assert refused(worker_a.url, colleague_web, workshop_id, "projector")
    witness.client.disconnect()
