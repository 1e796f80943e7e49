"""Role outline pages: the list, one outline (any version), comparing versions, the matrix across
roles, the builder, and exports. Leads read and export; only facilitators change."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from ...domain.access import Action, allows
from ...domain.labels import SECTION_LABELS
from ...domain.outlines import BANDS, CAREER_LEVELS, INDICATIVE
from ...exports import formats, wording
from ...services import documents, exports, matrix, outlines
from ...services.access import workshop_for_user
from ..helpers import current_actor, download

bp = Blueprint("outlines", __name__, url_prefix="/workshops/<int:workshop_id>/outlines")


def _load(workshop_id: int, action: Action = Action.READ):
    return workshop_for_user(current_user.id, workshop_id, action)


@bp.get("/")
@login_required
def index(workshop_id: int):
    """Every role's outline, its newest version, and exports for the whole workshop."""
    workshop, access = _load(workshop_id)
    return render_template("outlines/index.html", workshop=workshop, roles=outlines.outline_roles(
        workshop.id), formats=formats().values(), can_run=allows(access, Action.RUN),
        can_export=allows(access, Action.EXPORT))


@bp.get("/<int:role_id>")
@login_required
def show(workshop_id: int, role_id: int):
    """One role's outline, as the PDF shows it, with its evidence and version history."""
    workshop, access = _load(workshop_id)
    role = outlines.role_in(workshop.id, role_id)
    number = request.args.get("version", type=int)
    version = outlines.version_of(role.id, number) if number else outlines.latest_version(role.id)
    if version is None:
        abort(404)
    document = documents.build(workshop, [(role, version)])
    return render_template("outlines/show.html", workshop=workshop, role=role,
                           outline=document["outlines"][0], statement=document["statement"],
                           history=outlines.history(role.id), wording=wording,
                           formats=formats().values(), can_run=allows(access, Action.RUN),
                           can_export=allows(access, Action.EXPORT))


@bp.get("/<int:role_id>/compare")
@login_required
def compare(workshop_id: int, role_id: int):
    """What changed between two versions: lines added, removed and reworded."""
    workshop = _load(workshop_id)[0]
    role = outlines.role_in(workshop.id, role_id)
    history = outlines.history(role.id)
    newest = history[0]["number"] if history else 1
    first = request.args.get("a", type=int) or max(1, newest - 1)
    second = request.args.get("b", type=int) or newest
    changes = outlines.compare(workshop.id, role.id, first, second)
    return render_template("outlines/compare.html", workshop=workshop, role=role,
                           history=history, changes=changes, sections=SECTION_LABELS)


@bp.get("/matrix")
@login_required
def role_matrix(workshop_id: int):
    """Responsibilities and competences against roles: overlaps and gaps."""
    workshop = _load(workshop_id)[0]
    return render_template("outlines/matrix.html", workshop=workshop,
                           grid=matrix.role_matrix(workshop))


@bp.get("/build")
@login_required
def builder(workshop_id: int):
    """The builder the facilitator uses with the room watching."""
    workshop = _load(workshop_id, Action.RUN)[0]
    roles = [role for role, _ in outlines.outline_roles(workshop.id)]
    return render_template("outlines/builder.html", workshop=workshop, roles=roles,
                           levels={level: str(name) for level, name in CAREER_LEVELS.items()},
                           bands=BANDS, indicative=INDICATIVE, formats=formats().values())


@bp.post("/export")
@login_required
def export(workshop_id: int):
    """Download outlines in one format (a role's or every role's) in Welsh, English or both,
    recorded on the audit trail."""
    return download(exports.export, current_actor(), workshop_id, request.form.get("format", ""),
                    request.form.get("role_id", type=int), request.form.get("version", type=int),
                    # ?language=cy|en|both on the URL, or the form's choice
                    request.values.get("language") or None)
