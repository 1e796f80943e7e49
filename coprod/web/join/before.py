"""The public "Before you start" page: what a session is for and what will happen, for anyone
with its join code, before it opens and without an account; and the evidence pack's PDFs."""

from flask import render_template, send_file

from ...domain.errors import NotFound
from ...domain.evidence import size_words
from ...domain.joincode import display_join_code
from ...services import evidence
from .routes import bp, code_page, count_if_wrong, paused_page

# A downloaded PDF never runs anything here, even if a browser opens it instead of saving it.
PDF_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


@bp.get("/before/<code>")
def before(code: str):
    """What the session is for, what will happen, how long, expenses, and the evidence."""
    paused = paused_page(code)
    if paused:
        return paused
    try:
        found = evidence.before_you_start(code)
    except NotFound as error:
        count_if_wrong(error)
        return code_page(code, error.message, 404)
    workshop = found.workshop
    return render_template(
        "join/before.html", workshop=workshop, project=found.project, items=found.items,
        sizes={item.id: size_words(item.file_size) for item in found.items if item.file_size},
        join_code=display_join_code(workshop.join_code))


@bp.get("/before/<code>/evidence/<int:item_id>")
def evidence_file(code: str, item_id: int):
    """An item's PDF, as a download only: another project's item is not found."""
    paused = paused_page(code)
    if paused:
        return paused
    try:
        path, name = evidence.file_for_code(code, item_id)
    except NotFound as error:
        count_if_wrong(error)
        raise
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = PDF_POLICY
    return response
