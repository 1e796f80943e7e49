"""Free TCP ports for servers the tests start."""

import socket


def free_port() -> int:
    """A port nothing is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
