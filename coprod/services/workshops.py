"""Workshops: creating them, their details, stakeholder groups, roles and sharing."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from ..domain import roles as role_rules
from ..domain.access import CAN_CREATE_WORKSHOPS, Access, AccountRole, Action, check_grant
from ..domain.accounts import clean_email
from ..domain.actors import Actor
from ..domain.audit import GENESIS_HASH
from ..domain.consensus import consensus_rule
from ..domain.constituencies import parse_constituencies
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.i18n import _
from ..domain.joincode import new_join_code
from ..domain.joining import clean_expected_size
from ..domain.phases import Phase
from ..domain.projects import ProjectDetails, clean_project
from ..domain.text import clean_line
from ..extensions import db
from ..models import AuditChain, Constituency, Project, Role, User, Workshop, WorkshopMember
from .access import session_ids, workshop_for_user
from .chain import chain_key
from .events import AccessEnded
from .unit import unit_of_work


@dataclass(frozen=True)
class WorkshopDetails:
    title: str
    held_on: date
    venue: str


@dataclass(frozen=True)
class RoleDetails:
    """A role as typed on the set-up page; the service checks and tidies it."""

    title: str
    setting: str = ""
    purpose: str = ""


def clean_details(details: WorkshopDetails) -> WorkshopDetails:
    """The details tidied, or InvalidInput naming the box that needs a change."""
    if not isinstance(details.held_on, date):
        raise InvalidInput(_("Please give the date of the workshop."), field="held_on")
    return WorkshopDetails(
        title=clean_line(details.title, limit="workshop_title", field="title", label=_("Title")),
        held_on=details.held_on,
        venue=clean_line(details.venue, limit="venue", field="venue", label=_("Venue"),
                         required=False),
    )


def create_workshop(actor: Actor, details: WorkshopDetails, constituencies: str,
                    role_templates: list[str], other_roles: list[str],
                    project: ProjectDetails | None = None) -> int:
    """Create a workshop owned by the actor, with its groups and roles; returns its id.

    The workshop is the first session of a new project: `project`, or one named after the
    workshop. `other_roles` are role titles as typed, one per item; blank ones are skipped.
    """
    if AccountRole(actor.role) not in CAN_CREATE_WORKSHOPS:
        raise Forbidden(_("Only facilitators can create workshops."))
    details = clean_details(details)
    project = clean_project(project) if project else ProjectDetails(title=details.title)
    groups = parse_constituencies(constituencies)
    roles = [role_rules.role_from_template(key) for key in role_templates] + \
        _typed_roles(other_roles)
    if not roles:
        raise InvalidInput(_("Please choose at least one role to design."), field="roles")
    if len(roles) > role_rules.MAX_ROLES:
        raise InvalidInput(_("Please choose up to %(most)s roles.", most=role_rules.MAX_ROLES),
                           field="roles")
    with unit_of_work(actor) as unit:
        project_row = Project(title=project.title, purpose=project.purpose,
                              population_need=project.population_need,
                              target_per_group=project.target_per_group, owner_id=actor.user_id)
        unit.session.add(project_row)
        unit.session.flush()
        workshop = Workshop(title=details.title, held_on=details.held_on, venue=details.venue,
                            join_code=unused_join_code(), owner_id=actor.user_id,
                            phase=Phase.LOBBY.value, project_id=project_row.id, session_number=1,
                            retention_months=current_app.config["DATA_RETENTION_MONTHS"])
        unit.session.add(workshop)
        unit.session.flush()
        unit.session.add(AuditChain(key=chain_key(workshop.id), workshop_id=workshop.id,
                                    head_hash=GENESIS_HASH))
        unit.session.add(WorkshopMember(workshop_id=workshop.id, user_id=actor.user_id,
                                        access=Access.OWNER.value))
        for position, name in enumerate(groups):
            unit.session.add(Constituency(workshop_id=workshop.id, name=name, position=position))
        for position, role in enumerate(roles):
            unit.session.add(_role_row(workshop.id, role, position))
        unit.session.flush()
        unit.audit("workshop.created", {
            "title": details.title, "held_on": details.held_on.isoformat(), "venue": details.venue,
            "join_code": workshop.join_code, "constituencies": groups,
            "roles": [role.title for role in roles],
            "project": {"id": project_row.id, "title": project.title, "purpose": project.purpose,
                        "population_need": project.population_need,
                        "target_per_group": project.target_per_group},
            "session_number": 1,
        }, workshop_id=workshop.id)
        return workshop.id


def _typed_roles(titles: list[str]) -> list[role_rules.RoleInput]:
    try:
        return [role_rules.clean_role(title, "", "") for title in titles if title.strip()]
    except InvalidInput as error:  # shown on the box they were typed in, not the workshop title
        raise InvalidInput(error.message, field="other_roles") from None


def _cleaned_role(role: RoleDetails | role_rules.RoleInput) -> role_rules.RoleInput:
    return role_rules.clean_role(role.title, role.setting, role.purpose,
                                 getattr(role, "template_key", None))


def unused_join_code() -> str:
    """A join code no workshop has had."""
    # 19^6 (47 million) codes: a clash is rare, but a stored code must never be handed out twice.
    for _attempt in range(20):
        code = new_join_code()
        if not db.session.scalar(select(Workshop.id).where(Workshop.join_code == code)):
            return code
    raise Conflict(_("We could not make a new join code. Please try again."))


def _role_row(workshop_id: int, role: role_rules.RoleInput, position: int) -> Role:
    return Role(workshop_id=workshop_id, title=role.title, setting=role.setting,
                purpose=role.purpose, template_key=role.template_key, position=position)


def update_details(actor: Actor, workshop_id: int, details: WorkshopDetails) -> None:
    """Change the title, date or venue."""
    details = clean_details(details)
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        changes = apply_changes(workshop, {"title": details.title, "held_on": details.held_on,
                                            "venue": details.venue})
        if changes:
            unit.audit("workshop.details_changed", changes, workshop_id=workshop.id)
            unit.broadcast(workshop.id, "workshop.changed", {"title": workshop.title})


def apply_changes(row, values: dict) -> dict:
    """Set the values that differ; return them as {field: [old, new]} for the audit trail."""
    changes = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(row, name, new)
    return changes


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def update_constituencies(actor: Actor, workshop_id: int, lines: str) -> None:
    """Set the workshop's groups from one name per line; groups people joined as are kept."""
    names = parse_constituencies(lines)
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        existing = {group.name.casefold(): group for group in workshop.constituencies}
        for position, name in enumerate(names):
            group = existing.pop(name.casefold(), None)
            if group is None:
                group = Constituency(workshop_id=workshop.id, name=name)
                unit.session.add(group)
            group.name, group.position, group.retired = name, position, False
        for group in existing.values():
            group.retired, group.position = True, len(names) + group.position
        unit.audit("workshop.constituencies_changed", {"constituencies": names},
                   workshop_id=workshop.id)
        unit.broadcast(workshop.id, "workshop.changed", {"constituencies": names})


def add_template_role(actor: Actor, workshop_id: int, template_key: str) -> int:
    """Add a role to design from one of the templates."""
    return add_role(actor, workshop_id, role_rules.role_from_template(template_key))


def add_role(actor: Actor, workshop_id: int, role: RoleDetails | role_rules.RoleInput) -> int:
    """Add a role to design (from a template or typed in)."""
    role = _cleaned_role(role)
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        active = [r for r in workshop.roles if not r.retired]
        if len(active) >= role_rules.MAX_ROLES:
            raise InvalidInput(_("A workshop can design up to %(most)s roles.",
                                 most=role_rules.MAX_ROLES))
        if any(r.title.casefold() == role.title.casefold() for r in active):
            raise Conflict(_("This workshop already has a role called %(title)s.",
                             title=role.title), field="title")
        row = _role_row(workshop.id, role, len(workshop.roles))
        unit.session.add(row)
        unit.session.flush()
        unit.audit("role.added", {"role_id": row.id, "title": row.title, "setting": row.setting,
                                  "purpose": row.purpose, "template": row.template_key},
                   workshop_id=workshop.id)
        unit.broadcast(workshop.id, "role.changed", role_view(row))
        return row.id


def update_role(actor: Actor, workshop_id: int, role_id: int,
                role: RoleDetails | role_rules.RoleInput) -> None:
    """Change a role's title, setting or purpose."""
    role = _cleaned_role(role)
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        row = _role_of(workshop, role_id)
        changes = apply_changes(row, {"title": role.title, "setting": role.setting,
                                       "purpose": role.purpose})
        if changes:
            unit.audit("role.changed", {"role_id": row.id, **changes}, workshop_id=workshop.id)
            unit.broadcast(workshop.id, "role.changed", role_view(row))


def remove_role(actor: Actor, workshop_id: int, role_id: int) -> None:
    """Stop designing a role; its cards stay, marked as for no role in particular."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        row = _role_of(workshop, role_id)
        row.retired = True
        unit.audit("role.removed", {"role_id": row.id, "title": row.title},
                   workshop_id=workshop.id)
        unit.broadcast(workshop.id, "role.changed", role_view(row))


def _role_of(workshop: Workshop, role_id: int) -> Role:
    for role in workshop.roles:
        if role.id == role_id and not role.retired:
            return role
    raise NotFound(_("We could not find that role in this workshop."))


def role_view(role: Role) -> dict:
    """A role as clients see it."""
    return {"id": role.id, "title": role.title, "setting": role.setting, "purpose": role.purpose,
            "retired": role.retired}


class NotShared(InvalidInput):
    """No account that can take this access has that email; one answer for every reason."""

    def __init__(self):
        super().__init__(_("There is no account with that email address that can be given "
                           "this access."), field="email")


def share(actor: Actor, workshop_id: int, email: str, access: str) -> None:
    """Give another account access to this workshop (or change the access it has).

    Raises NotShared, the same for a missing account, one of the wrong kind and the owner, so
    the page can answer alike whether or not an email has an account.
    """
    try:
        level = Access(access)
    except ValueError:
        raise InvalidInput(_("Please choose facilitator, helper or lead."),
                           field="access") from None
    if level is Access.OWNER:
        raise InvalidInput(_("A workshop has one owner."), field="access")
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.SHARE)
        user = unit.session.scalar(select(User).where(User.email == clean_email(email)))
        if user is None:
            raise NotShared()
        try:
            check_grant(AccountRole(user.role), level)
        except InvalidInput:  # saying why would tell the account's kind
            raise NotShared() from None
        # A project's sessions are shared alike: the access reaches every one of them.
        for session_id in session_ids(workshop.project_id):
            _grant(unit, session_id, user.id, level)


def _grant(unit, workshop_id: int, user_id: int, level: Access) -> None:
    member = unit.session.scalar(select(WorkshopMember).where(
        WorkshopMember.workshop_id == workshop_id, WorkshopMember.user_id == user_id))
    if member and member.access == Access.OWNER.value:
        raise NotShared()
    if member is None:
        member = WorkshopMember(workshop_id=workshop_id, user_id=user_id)
        unit.session.add(member)
    member.access = level.value
    unit.audit("workshop.shared", {"user_id": user_id, "access": level.value},
               workshop_id=workshop_id)


UNSHARED = _("You no longer have access to this workshop, so this screen was closed. Please "
             "speak to the workshop's owner if you need it again.")


def unshare(actor: Actor, workshop_id: int, user_id: int) -> None:
    """Take away an account's access to this workshop and every session of its project."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.SHARE)
        members = {member.workshop_id: member for member in unit.session.scalars(
            select(WorkshopMember).where(
                WorkshopMember.workshop_id.in_(session_ids(workshop.project_id)),
                WorkshopMember.user_id == user_id))}
        here = members.get(workshop.id)
        if here is None or here.access == Access.OWNER.value:
            raise NotFound(_("That account does not share this workshop."))
        for session_id, member in members.items():
            unit.session.delete(member)
            unit.audit("workshop.unshared", {"user_id": user_id}, workshop_id=session_id)
            unit.events.append(AccessEnded.membership(session_id, user_id, "unshared"))


def workshops_for(user_id: int) -> list[tuple[Workshop, str]]:
    """The workshops an account owns or shares, newest first, with its access to each."""
    rows = db.session.execute(
        select(Workshop, WorkshopMember.access).join(WorkshopMember)
        .where(WorkshopMember.user_id == user_id)
        .order_by(Workshop.held_on.desc(), Workshop.id.desc()))
    return [(workshop, access) for workshop, access in rows]


def members_of(workshop_id: int) -> list[WorkshopMember]:
    """Who has access to a workshop, owner first."""
    return list(db.session.scalars(
        select(WorkshopMember).where(WorkshopMember.workshop_id == workshop_id)
        .order_by(WorkshopMember.access != Access.OWNER.value, WorkshopMember.id)))


def update_consensus(actor: Actor, workshop_id: int, threshold, min_voters, divisive_gap) -> None:
    """Change the consensus rule; results everywhere are recomputed with it."""
    rule = consensus_rule(threshold, min_voters, divisive_gap)
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        changes = apply_changes(workshop, {"consensus_threshold": rule.threshold,
                                            "consensus_min_voters": rule.min_voters,
                                            "divisive_gap": rule.divisive_gap})
        if changes:
            unit.audit("settings.consensus_changed", changes, workshop_id=workshop.id)
            unit.refresh(workshop.id, "tally")


def set_approve_first(actor: Actor, workshop_id: int, approve_first: bool) -> None:
    """Choose whether new cards wait for the facilitator before reaching the screen."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        changes = apply_changes(workshop, {"approve_first": bool(approve_first)})
        if changes:
            unit.audit("settings.moderation_changed", changes, workshop_id=workshop.id)


def set_bilingual_wall(actor: Actor, workshop_id: int, bilingual: bool) -> bool:
    """Show Welsh and English together on the projector, or each screen in its own language.

    The projector hears of it at once (the same message as the other workshop changes).
    Returns whether the setting changed."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        changes = apply_changes(workshop, {"bilingual_wall": bool(bilingual)})
        if changes:
            unit.audit("settings.bilingual_wall_changed", changes, workshop_id=workshop.id)
            unit.broadcast(workshop.id, "workshop.changed",
                           {"bilingual_wall": workshop.bilingual_wall})
        return bool(changes)


def set_joining_locked(actor: Actor, workshop_id: int, locked: bool) -> dict:
    """Lock the room (new people are turned away kindly; people who joined get back in) or
    open it again. Every console and the projector hear of it."""
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        if workshop.joining_locked != bool(locked):
            workshop.joining_locked = bool(locked)
            unit.audit("room.locked" if locked else "room.unlocked", {}, workshop_id=workshop.id)
            unit.refresh(workshop.id, "joining")
        return {"locked": workshop.joining_locked}


def set_expected_size(actor: Actor, workshop_id: int, expected_size) -> None:
    """Say how many people are expected (None: not said), so the console can warn about joins
    beyond it."""
    size = clean_expected_size(expected_size)
    with unit_of_work(actor) as unit:
        workshop, _access = workshop_for_user(actor.user_id, workshop_id, Action.RUN)
        changes = apply_changes(workshop, {"expected_size": size})
        if changes:
            unit.audit("settings.expected_size_changed", changes, workshop_id=workshop.id)
            unit.refresh(workshop.id, "joining")
