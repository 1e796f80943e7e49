"""The server raises its own open-file limit, so a big event is not refused at 1,024 phones."""

import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import resource
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))  # a stingy default
from coprod.runtime import raise_open_file_limit
raise_open_file_limit(3000)
print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])
"""


def test_the_server_can_hold_thousands_of_phones_even_where_files_are_capped_at_256():
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 3000:
        pytest.fail(f"this machine's hard limit ({hard} open files) is below a big event's needs")
    shown = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout
    assert int(shown) == 3000


def queued_at_most(port: int) -> int:
    """The backlog of the socket listening on this port, as the kernel reports it."""
    shown = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True,
                           check=True).stdout.split()
    return int(shown[2])  # State Recv-Q Send-Q ...: a listener's Send-Q is its backlog


def test_the_listener_queues_a_rooms_worth_of_connects_and_sends_small_writes_at_once():
    import socket

    from coprod.runtime import LISTEN_BACKLOG, listening_socket

    listener = listening_socket("127.0.0.1", 0)
    port = listener.getsockname()[1]
    try:
        phone = socket.create_connection(("127.0.0.1", port))
        accepted, _ = listener.accept()
        # The accepted connection, the one a phone's handshake goes over, sends at once.
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert queued_at_most(port) == LISTEN_BACKLOG >= 1000
        accepted.close()
        phone.close()
    finally:
        listener.close()
