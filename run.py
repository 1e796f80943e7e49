"""Start coprod: `python run.py` serves http://127.0.0.1:5000 on the default async server.

COPROD_ASYNC_MODE chooses the server: eventlet (default), gevent or threading. Monkey-patching
happens here and only here, before anything else is imported.
"""

import os
import warnings

ASYNC_MODE = os.environ.get("COPROD_ASYNC_MODE", "eventlet")

if ASYNC_MODE == "eventlet":
    # eventlet warns on import that it is in bugfix-only mode; we know (docs/decisions.md).
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet

    eventlet.monkey_patch()
    from psycogreen.eventlet import patch_psycopg

    patch_psycopg()  # PostgreSQL waits yield to other greenlets instead of blocking them all
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()

from flask_migrate import upgrade  # noqa: E402

from coprod import create_app  # noqa: E402
from coprod.realtime.server import socketio  # noqa: E402
from coprod.runtime import (  # noqa: E402
    LISTEN_BACKLOG,
    listening_socket,
    raise_open_file_limit,
    tune_garbage_collector,
)
from coprod.services import accounts  # noqa: E402

# eventlet's WSGI server accepts 1,024 connections by default; a big event needs more.
MAX_CONNECTIONS = int(os.environ.get("COPROD_MAX_CONNECTIONS", "5000"))
# Connections the kernel queues while the server is busy accepting others (coprod/runtime.py).
BACKLOG = int(os.environ.get("COPROD_LISTEN_BACKLOG", str(LISTEN_BACKLOG)))


def main() -> None:
    """Migrate the database, print the setup link on first start, and serve."""
    host = os.environ.get("COPROD_HOST", "127.0.0.1")
    port = int(os.environ.get("COPROD_PORT", "5000"))
    app = create_app({"ASYNC_MODE": ASYNC_MODE})
    with app.app_context():
        if os.environ.get("COPROD_AUTO_MIGRATE", "1") == "1":
            upgrade()
        token = accounts.issue_setup_token()
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"coprod is running at http://{shown_host}:{port} ({ASYNC_MODE}, "
          f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':', 1)[0]})", flush=True)
    if token:
        print("No accounts yet. Open this one-time link to create the first facilitator "
              f"account:\n  http://{shown_host}:{port}/setup/{token}", flush=True)
    tune_garbage_collector()
    raise_open_file_limit(MAX_CONNECTIONS + 200)  # phones, plus the database and log files
    serve(app, host, port, log_output=os.environ.get("COPROD_ACCESS_LOG") == "1")


def serve(app, host: str, port: int, log_output: bool) -> None:
    """Serve on a listening socket of our own: Flask-SocketIO's `run` would open one with the
    server's defaults (a backlog of 50, no TCP_NODELAY)."""
    if ASYNC_MODE == "eventlet":
        from eventlet import wsgi

        wsgi.server(listening_socket(host, port, BACKLOG), app, log_output=log_output,
                    max_size=MAX_CONNECTIONS)
    elif ASYNC_MODE == "gevent":
        from gevent.pywsgi import WSGIServer

        # WebSockets come from simple-websocket, as under Flask-SocketIO's own `run`.
        WSGIServer(listening_socket(host, port, BACKLOG), app,
                   log="default" if log_output else None).serve_forever()
    else:  # threading: for development only
        socketio.run(app, host=host, port=port, log_output=log_output,
                     allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
