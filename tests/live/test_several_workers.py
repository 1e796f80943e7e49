"""Two workers on one PostgreSQL database and one Redis queue, the phone through nginx: a vote
made on one worker reaches the projector on the other, and is stored once."""

import threading
import time

import pytest
import socketio

from coprod import create_app
from coprod.extensions import db
from coprod.models import AuditEvent, ClientAction, Vote, Workshop
from coprod.services import cards, participants, voting

from ..factories import actor_of, group_id, make_user, make_workshop, set_phase
from ..support.clients import cookie_header, join, live_socket, sign_in
from ..support.databases import PostgresServer, migrate
from ..support.live_server import LiveServer
from ..support.nginx import Nginx
from ..support.redis_server import RedisServer

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]
PASSWORD = "a long enough password"


@pytest.fixture
def cluster(tmp_path):
    """PostgreSQL, Redis, two workers (migrated once, before either starts) and nginx."""
    stack = []
    try:
        postgres = PostgresServer()
        stack.append(postgres)
        postgres.execute("CREATE DATABASE coprod")
        url = postgres.url("coprod")
        migrate(url)
        queue = RedisServer()
        stack.append(queue)
        workers = []
        for name in ("a", "b"):
            worker = LiveServer(url, log_path=tmp_path / f"worker-{name}.log", env={
                "COPROD_MESSAGE_QUEUE": queue.url, "COPROD_AUTO_MIGRATE": "0"})
            stack.append(worker)
            workers.append(worker.start())
        proxy = Nginx([workers[0].port])
        stack.append(proxy)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "live test secret",
                          "TESTING": True, "LIVE_LOOP": False})
        with app.app_context():
            yield workers, proxy
            db.session.remove()
            db.engine.dispose()
    finally:
        for part in reversed(stack):
            part.stop()


def open_vote(owner) -> tuple[int, int, str]:
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    author = participants.join(db.session.get(Workshop, workshop_id).join_code,
                               group_id(workshop_id, "Staff"), None, True)
    card_id = cards.add_card(participants.actor_for(author), workshop_id, "responsibility",
                             "Helps people find local support")["card"]["id"]
    set_phase(owner, workshop_id, "review", "vote")
    round_id = voting.open_round(actor_of(owner), workshop_id, "dots", 5, 2,
                                 hide_until_reveal=False)["round"]["id"]
    return workshop_id, round_id, card_id


def phone_socket(base_url: str, session, workshop_id: int) -> socketio.Client:
    """A phone's socket as a browser opens it: with its cookie and (sent by websocket-client,
    as by a browser) its page's origin, which the worker checks against the proxied host."""
    client = socketio.Client(reconnection=False)
    client.connect(base_url, headers={"Cookie": cookie_header(session)},
                   auth={"workshop": workshop_id, "view": "phone"}, transports=["websocket"],
                   wait_timeout=30)
    return client


def test_a_vote_on_one_worker_reaches_the_projector_on_the_other_once(cluster):
    (worker_a, worker_b), proxy = cluster
    owner = make_user(password=PASSWORD)
    workshop_id, round_id, card_id = open_vote(owner)
    code = db.session.get(Workshop, workshop_id).join_code

    projector = live_socket(worker_b.url, sign_in(worker_b.url, owner.email, PASSWORD),
                            workshop_id, "projector")
    tallies, arrived = [], threading.Event()

    def on_tally(payload):
        tallies.append(payload)
        arrived.set()
    projector.on("tally", on_tally)

    person = join(proxy.url, code, group_id(workshop_id, "Carer"))  # through nginx, to worker A
    phone = phone_socket(proxy.url, person, workshop_id)
    tap = {"cid": "tap-on-worker-a-1", "round_id": round_id, "card_id": card_id, "value": 1}
    receipt = phone.call("vote:set", tap, timeout=30)
    assert receipt["ok"] and receipt["votes"]["remaining"] == 4

    deadline = time.monotonic() + 15
    while not any(t["as_of"] >= receipt["audit_seq"] for t in tallies):
        assert time.monotonic() < deadline, f"no tally with the vote reached worker B: {tallies}"
        arrived.wait(1)
        arrived.clear()
    shown = next(t for t in tallies if t["as_of"] >= receipt["audit_seq"])
    carers = next(g for g in shown["cards"][0]["groups"] if g["name"] == "Carer")
    assert (carers["voters"], carers["dots"]) == (1, 1)

    # The phone loses its connection and resends the tap to the other worker: stored once.
    phone.disconnect()
    again = phone_socket(worker_b.url, person, workshop_id).call("vote:set", tap, timeout=30)
    assert again["repeat"] is True and again["audit_seq"] == receipt["audit_seq"]
    db.session.rollback()
    assert [vote.value for vote in db.session.query(Vote).filter_by(round_id=round_id)] == [1]
    assert db.session.query(ClientAction).filter_by(client_id=tap["cid"]).count() == 1
    assert db.session.query(AuditEvent).filter_by(workshop_id=workshop_id,
                                                  action="vote.cast").count() == 1
    projector.disconnect()
