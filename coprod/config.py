"""Settings, read from the environment with safe defaults for one laptop."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ASYNC_MODES = ("eventlet", "gevent", "threading")


def _secret_key(instance_path: Path) -> str:
    """COPROD_SECRET_KEY, or a key kept in the instance folder so sessions survive restarts."""
    configured = os.environ.get("COPROD_SECRET_KEY")
    if configured:
        return configured
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _origins(value: str | None) -> list[str] | None:
    # None keeps Engine.IO's same-origin check; "*" is never accepted.
    origins = [origin.strip() for origin in (value or "").split(",") if origin.strip()]
    return [origin for origin in origins if origin != "*"] or None


def _rate_limit_storage(message_queue: str | None) -> str:
    """Where throttling counts live: the setting, else the message queue's Redis, else memory."""
    configured = os.environ.get("COPROD_RATE_LIMIT_STORAGE")
    if configured:
        return configured
    if message_queue and message_queue.startswith(("redis://", "rediss://")):
        return message_queue
    return "memory://"


def default_config(instance_path: Path) -> dict:
    """The configuration coprod starts with before any test or deployment overrides it."""
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'coprod.sqlite'}"
    if database.startswith("postgres://"):  # the old Heroku-style scheme SQLAlchemy refuses
        database = "postgresql://" + database.removeprefix("postgres://")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        # The keys that seal audit chain heads, outside the database (made on first use).
        "AUDIT_KEY_FILE": os.environ.get("COPROD_AUDIT_KEY_FILE") or str(instance_path / "audit.key"),
        "SQLALCHEMY_DATABASE_URI": database,
        "ASYNC_MODE": os.environ.get("COPROD_ASYNC_MODE", "threading"),
        "MESSAGE_QUEUE": os.environ.get("COPROD_MESSAGE_QUEUE") or None,
        "ALLOWED_ORIGINS": _origins(os.environ.get("COPROD_ALLOWED_ORIGINS")),
        # How many proxies (nginx) stand in front: their X-Forwarded-* headers are then trusted
        # for the client's address (sign-in slow-down) and scheme. 0 trusts none.
        "TRUSTED_PROXIES": int(os.environ.get("COPROD_TRUSTED_PROXIES", "0")),
        # The address phones use, shown as the QR code; defaults to the address in the browser.
        "PUBLIC_URL": (os.environ.get("COPROD_PUBLIC_URL") or "").rstrip("/") or None,
        # A workshop day is long: a form opened in the morning must still post after lunch.
        "WTF_CSRF_TIME_LIMIT": int(timedelta(hours=12).total_seconds()),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=3),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Also turned on by an https:// PUBLIC_URL (create_app), with HSTS: behind a TLS proxy
        # the app itself sees plain http.
        "SESSION_COOKIE_SECURE": os.environ.get("COPROD_SECURE_COOKIES") == "1",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Counts of wrong join codes and failed sign-ins (Flask-Limiter): Redis when configured,
        # so every worker shares them and they survive restarts; memory for one laptop.
        "RATELIMIT_STORAGE_URI": _rate_limit_storage(os.environ.get("COPROD_MESSAGE_QUEUE")),
        # The language of commands and jobs run outside a page (cy or en); people's pages follow
        # each person's own choice.
        "LANGUAGE": os.environ.get("COPROD_LANGUAGE", "en"),
        "DATA_RETENTION_MONTHS": int(os.environ.get("COPROD_RETENTION_MONTHS", "12")),
        # How long a return code (to be recognised in a project's next session) keeps working.
        "RETURN_CODE_DAYS": int(os.environ.get("COPROD_RETURN_CODE_DAYS", "180")),
        # The evidence pack's PDFs: stored here under names coprod makes, never in the database;
        # a larger upload is refused with a kind message (MAX_CONTENT_LENGTH follows it).
        "EVIDENCE_DIR": os.environ.get("COPROD_EVIDENCE_DIR") or str(instance_path / "evidence"),
        "EVIDENCE_MAX_BYTES": int(os.environ.get("COPROD_EVIDENCE_MAX_BYTES",
                                                 str(10 * 1024 * 1024))),
        # How often live tallies and card batches go out (seconds).
        "STAFF_TICK": 0.1,
        "PHONE_BATCH_INTERVAL": 0.5,
        # Tests that flush the notifier by hand turn its background loop off.
        "LIVE_LOOP": True,
    }
