"""The real server's listening socket, under eventlet and gevent: a backlog sized for a room
(COPROD_LISTEN_BACKLOG), and a join storm bigger than the backlog only makes joins slower."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from coprod.extensions import db
from coprod.models import Participant

from ..support.clients import join
from ..support.live_server import LiveServer
from ..test_runtime import queued_at_most

pytestmark = pytest.mark.live


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_the_server_listens_with_the_backlog_it_is_given(databases, tmp_path, mode):
    server = LiveServer(databases.fresh(), async_mode=mode, log_path=tmp_path / "server.log",
                        env={"COPROD_LISTEN_BACKLOG": "777"}).start()
    try:
        assert queued_at_most(server.port) == 777
        assert requests.get(server.url + "/join", timeout=10).status_code == 200
    finally:
        server.stop()


def test_a_join_storm_bigger_than_the_backlog_joins_everyone_only_slower(scene, tmp_path):
    scene.phases("contribute")
    server = LiveServer(scene.server.database_url, log_path=tmp_path / "small.log",
                        env={"COPROD_LISTEN_BACKLOG": "2", "COPROD_AUTO_MIGRATE": "0"}).start()
    groups = [scene.group(name) for name in ("Service user or patient", "Carer", "Staff")]
    try:
        # 60 phones at once against a queue of 2: connects the kernel drops are sent again by
        # the phone's own TCP stack, so every phone gets in, none gives up.
        with ThreadPoolExecutor(max_workers=60) as pool:
            joined = list(pool.map(lambda n: join(server.url, scene.code, groups[n % 3]),
                                   range(60)))
    finally:
        server.stop()
    assert len(joined) == 60
    db.session.rollback()  # read afresh, after the server's commits
    assert db.session.query(Participant).filter_by(workshop_id=scene.workshop_id).count() == 60
