"""Building blocks for tests, made through the same services the app uses."""

import itertools
from datetime import date

from coprod.domain.actors import Actor
from coprod.extensions import db
from coprod.models import Constituency, User
from coprod.services import accounts, participants, workshops
from coprod.services.workshops import WorkshopDetails

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(role: str = "facilitator", email: str | None = None,
              password: str = PASSWORD, name: str | None = None) -> User:
    """A new account of the given kind."""
    number = next(_numbers)
    return accounts.create_account(Actor.system(), accounts.NewAccount(
        email or f"{role}{number}@example.org", name or f"{role.title()} {number}", role, password))


def actor_of(user: User) -> Actor:
    return Actor.user(user.id, user.role)


def make_workshop(owner: User, title: str = "Roles for our community mental health centre",
                  groups: str = "Service user or patient\nCarer\nStaff",
                  templates=("navigator", "hca", "cmhc_nurse")) -> int:
    """A workshop with the three template roles and the default groups."""
    return workshops.create_workshop(actor_of(owner), WorkshopDetails(title, date(2027, 3, 14),
                                                                      "Carmarthen"),
                                     groups, list(templates), [])


def group_id(workshop_id: int, name: str) -> int:
    return db.session.scalars(db.select(Constituency.id).where(
        Constituency.workshop_id == workshop_id, Constituency.name == name)).one()


def join(workshop_id: int, group: str = "Carer", nickname: str | None = None):
    """A participant who joined from a phone."""
    from coprod.models import Workshop
    code = db.session.get(Workshop, workshop_id).join_code
    return participants.join(code, group_id(workshop_id, group), nickname, True)


def set_phase(owner: User, workshop_id: int, *phases: str) -> None:
    """Walk the workshop through the given phases in order."""
    from coprod.services import phases as phase_service
    for phase in phases:
        phase_service.set_phase(actor_of(owner), workshop_id, phase)
