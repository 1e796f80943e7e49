"""Under eventlet, a request waiting on PostgreSQL must not stop the server serving others.

While the test holds a lock that joining needs, two phones join at once: both of their queries
must be seen waiting in PostgreSQL at the same time. A driver that blocked the eventlet hub would
leave the second phone unserved until the first one's query finished.
"""

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from coprod import create_app
from coprod.extensions import db
from coprod.models import Participant, Workshop

from ..factories import group_id, make_user, make_workshop
from ..support.clients import join
from ..support.databases import PostgresServer, migrate
from ..support.live_server import LiveServer

pytestmark = [pytest.mark.live, pytest.mark.postgres]
WAITING = text("SELECT count(*) FROM pg_stat_activity "
               "WHERE wait_event_type = 'Lock' AND datname = current_database()")


@pytest.fixture
def server_on_postgres(tmp_path):
    postgres = PostgresServer()
    server = None
    try:
        postgres.execute("CREATE DATABASE coprod")
        url = postgres.url("coprod")
        migrate(url)
        server = LiveServer(url, log_path=tmp_path / "server.log").start()  # eventlet
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "live test secret",
                          "TESTING": True, "LIVE_LOOP": False})
        with app.app_context():
            yield server, url
            db.session.remove()
            db.engine.dispose()
    finally:
        if server:
            server.stop()
        postgres.stop()


def test_two_joins_wait_on_postgres_at_the_same_time(server_on_postgres):
    server, url = server_on_postgres
    workshop_id = make_workshop(make_user())
    code = db.session.get(Workshop, workshop_id).join_code
    group = group_id(workshop_id, "Carer")
    db.session.commit()

    engine = create_engine(url)
    joined, errors = [], []

    def join_now():
        try:
            joined.append(join(server.url, code, group))
        except Exception as error:
            errors.append(error)

    with engine.connect() as holder, engine.connect() as watcher:
        holder.execute(text("SELECT id FROM workshop WHERE id = :id FOR UPDATE"),
                       {"id": workshop_id})  # a join numbers its person on this row: it waits
        phones = [threading.Thread(target=join_now) for _ in range(2)]
        for phone in phones:
            phone.start()
        deadline, most = time.monotonic() + 20, 0
        while most < 2 and time.monotonic() < deadline:
            most = max(most, watcher.execute(WAITING).scalar())
            watcher.commit()
            time.sleep(0.05)
        holder.commit()  # let both joins finish
        for phone in phones:
            phone.join(timeout=30)
    engine.dispose()

    assert most == 2, "the second join's query never ran while the first one waited"
    assert errors == [] and len(joined) == 2
    db.session.rollback()
    assert db.session.query(Participant).filter_by(workshop_id=workshop_id).count() == 2
