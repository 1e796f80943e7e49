"""coprod: co-production workshops for designing health and social care roles."""

from pathlib import Path

from flask import Flask

from .config import ASYNC_MODES, default_config
from .extensions import compress, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


class CoprodFlask(Flask):
    """Flask, minus URL matching for live socket events.

    Flask-SocketIO wraps every socket event in a request context built from the connection's
    first request, and Flask matches that request's URL (/socket.io/) against every route each
    time: a tenth of the server's time in a busy vote, for a match that never finds anything.
    Socket handlers build no URLs, so their request contexts get no URL adapter.
    """

    def create_url_adapter(self, request):
        """No adapter for socket events; Flask's own for everything else."""
        if request is not None and request.environ.get("PATH_INFO", "").startswith(SOCKET_PATH):
            return None
        return super().create_url_adapter(request)


SOCKET_PATH = "/socket.io/"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, live updates and commands."""
    app = CoprodFlask(__name__, instance_path=str(ROOT / "instance"), instance_relative_config=True,
                static_folder=str(ROOT / "static"), template_folder=str(ROOT / "templates"))
    app.config.from_mapping(default_config(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    if app.config["ASYNC_MODE"] not in ASYNC_MODES:
        raise ValueError(f"COPROD_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}")

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    _init_database(app)
    _init_language(app)
    csrf.init_app(app)
    _init_throttling(app)
    _init_https(app)
    _init_login(app)
    _init_live_updates(app)
    _register_web(app)
    _init_compression(app)

    from .cli import register_commands
    register_commands(app)
    return app


def _init_database(app: Flask) -> None:
    from . import models  # noqa: F401  (registers every table with the metadata)
    from .database import configure_engine, engine_options

    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                          engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    with app.app_context():
        configure_engine(db.engine)


def _init_language(app: Flask) -> None:
    from .domain.i18n import Message
    from .language import init_language

    init_language(app)
    plain_default = app.json.default
    # Words marked in the domain are sent as text in the reader's language.
    app.json.default = lambda value: str(value) if isinstance(value, Message) else plain_default(value)


def _init_throttling(app: Flask) -> None:
    limiter.init_app(app)
    # coprod counts only failures, itself (services/throttle.py), and puts no limit on any
    # route: Flask-Limiter's check before every request would find nothing, at a cost per page.
    app.before_request_funcs[None].remove(limiter._check_request_limit)


def _init_https(app: Flask) -> None:
    # Behind a TLS proxy the app sees plain http: an https:// public URL (or
    # COPROD_SECURE_COOKIES=1) makes every cookie HTTPS-only and asks browsers to stay on HTTPS.
    if (app.config["PUBLIC_URL"] or "").lower().startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
    secure = app.config["SESSION_COOKIE_SECURE"]
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    if secure:
        @app.after_request
        def strict_transport_security(response):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            return response


def _init_login(app: Flask) -> None:
    from .services.accounts import load_session_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_session_user)


def _init_live_updates(app: Flask) -> None:
    from .realtime import Notifier, handlers  # noqa: F401  (importing registers the handlers)
    from .realtime.refreshers import REFRESHERS
    from .realtime.server import socketio
    from .realtime.sessions import SocketAwareSessionInterface
    from .services.unit import PUBLISHER

    socketio.init_app(app, async_mode=app.config["ASYNC_MODE"],
                      message_queue=app.config["MESSAGE_QUEUE"],
                      cors_allowed_origins=app.config["ALLOWED_ORIGINS"],
                      ping_interval=20, ping_timeout=40,
                      # One phone's actions are handled in the order it sent them (a quick
                      # "+1, +1" must not arrive as "2, then 1").
                      async_handlers=False)
    app.session_interface = SocketAwareSessionInterface()
    notifier = Notifier(socketio, app, REFRESHERS)
    app.extensions["coprod.notifier"] = notifier
    app.extensions[PUBLISHER] = notifier.publish


def _init_compression(app: Flask) -> None:
    # Brotli when the browser offers it (over HTTPS), else gzip (browsers offer only gzip and
    # deflate over plain http, which venue Wi-Fi often is). Static files are sent as streams,
    # and Flask-Compress leaves gzip out of its streaming list by default: put it back, or
    # phones on http would get every script and style uncompressed. Socket.IO traffic never
    # reaches Flask's after_request (Engine.IO answers it first), so it is left alone.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    compress.init_app(app)


def _register_web(app: Flask) -> None:
    from .web import register_blueprints

    register_blueprints(app)
