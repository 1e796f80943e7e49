"""Project pages: a role redesign over several sessions, its evidence pack and its record.

Each part of the project has its own module of routes on the one blueprint (imported below),
so they stay short: the project page and its record (routes), the next session (sessions) and
the evidence pack (evidence).
"""

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")

from . import evidence, routes, sessions  # noqa: E402,F401  (each adds its routes to bp)
