"""Process-wide tuning for a long-running server with many connections."""

import gc
import resource

# Python's cycle collector, at its defaults, ran a full collection every few seconds once a
# thousand phones were connected, each pausing the whole server for up to 0.4 s (every vote in
# flight waited). Young collections are made rarer, full ones much rarer (docs/performance.md).
GC_THRESHOLDS = (10_000, 20, 100)


def tune_garbage_collector() -> None:
    """Freeze what exists at start-up and collect cycles less often (call once, before serving)."""
    # What exists now (modules, the app, its templates) lives as long as the process: frozen,
    # the collector never scans it again.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def raise_open_file_limit(wanted: int) -> int:
    """Let the process hold `wanted` open files (sockets), up to the system's hard limit.

    Many systems start processes with a soft limit of 1,024 files: a thousand phones would
    exhaust it before eventlet's own connection cap is reached. Returns the limit now in force.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


# Phones that scan the QR code together connect together: at 2,000 phones in ten seconds the
# default queue of 50 unaccepted connections overflowed thousands of times, and each dropped
# connect waits 1 s, then 3 s, before the phone tries again. The kernel caps the queue at
# net.core.somaxconn (4,096 on recent Linux).
LISTEN_BACKLOG = 2048


def listening_socket(host: str, port: int, backlog: int = LISTEN_BACKLOG):
    """The server's listening socket: a queue sized for a room, and TCP_NODELAY for every
    connection it accepts.

    Without TCP_NODELAY a WebSocket handshake's small last write waits for the phone's delayed
    acknowledgement (about 40 ms per connect). Linux gives accepted connections the listening
    socket's TCP_NODELAY, so setting it here covers every connection. Call after monkey-patching:
    the socket is then eventlet's or gevent's own.
    """
    import socket

    family, kind, protocol, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM)[0]
    listener = socket.socket(family, kind, protocol)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind(address)
    listener.listen(backlog)
    return listener
