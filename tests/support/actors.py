"""Every kind of person who can reach a coprod workshop, each with a browser session of their own.

Built once per test module through the services (as the pages would), for the authorisation
matrix: who is signed in as what, and which workshop their phone joined.
"""

import itertools
import re

from flask import Flask, g
from flask.testing import FlaskClient

from coprod.domain.actors import Actor
from coprod.extensions import db
from coprod.models import Card, Role, User, Workshop
from coprod.services import accounts, cards, outlines, participants, workshops

from ..factories import PASSWORD, actor_of, group_id, make_user, make_workshop, set_phase

ANONYMOUS = "anonymous"
PARTICIPANT_HERE = "participant of this workshop"
PARTICIPANT_ELSEWHERE = "participant of another workshop"
ADMIN = "admin"
OWNER = "owner facilitator"
SHARED_FACILITATOR = "shared facilitator"
HELPER = "helper"
LEAD = "lead"
UNRELATED_FACILITATOR = "unrelated facilitator"
REMOVED_FACILITATOR = "facilitator removed from the workshop"
DISABLED_FACILITATOR = "facilitator whose account was disabled"

ACTORS = (ANONYMOUS, PARTICIPANT_HERE, PARTICIPANT_ELSEWHERE, ADMIN, OWNER, SHARED_FACILITATOR,
          HELPER, LEAD, UNRELATED_FACILITATOR, REMOVED_FACILITATOR, DISABLED_FACILITATOR)

GROUPS = "Service user or patient\nCarer\nStaff"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class World:
    """Workshop A (where the matrix knocks), workshop B (someone else's), and one session per actor.

    A session is the browser's cookie: each request of the matrix starts from a copy of it, so one
    cell (joining, "Vote too") never changes what the next cell's browser holds.
    """

    def __init__(self, app: Flask):
        self.app = app
        self._numbers = itertools.count(1)
        self._tokens: dict[str, str] = {}
        self.users = {kind: make_user(role) for kind, role in (
            (ADMIN, "admin"), (OWNER, "facilitator"), (SHARED_FACILITATOR, "facilitator"),
            (HELPER, "helper"), (LEAD, "lead"), (UNRELATED_FACILITATOR, "facilitator"),
            (REMOVED_FACILITATOR, "facilitator"), (DISABLED_FACILITATOR, "facilitator"))}
        self.spare = make_user("helper")  # shared and unshared by the matrix's share cells
        self.workshop_id = make_workshop(self.owner, templates=("navigator", "hca"))
        self.other_workshop_id = make_workshop(self.users[UNRELATED_FACILITATOR])
        self._share_workshop()
        set_phase(self.owner, self.workshop_id, "contribute")
        set_phase(self.users[UNRELATED_FACILITATOR], self.other_workshop_id, "contribute")
        self.role_id = self._roles()[0]
        outlines.ensure_outline(self.boss, self.workshop_id, self.role_id)  # version 1 to read
        self._removable_role_id = None
        self.paper_person_id = participants.add_on_paper(
            self.boss, self.workshop_id, group_id(self.workshop_id, "Carer"), "A. N.").id
        self.card_ids = [self._card(text) for text in (
            "Helps people find local support", "Explains options in plain words",
            "Points people to local support")]
        self.cookies = {kind: self._session_for(kind) for kind in ACTORS}
        self._disable(DISABLED_FACILITATOR)  # after signing in: their open session must stop working

    # Who is who -------------------------------------------------------------------------

    @property
    def owner(self) -> User:
        return self.users[OWNER]

    @property
    def boss(self) -> Actor:
        return actor_of(self.owner)

    @property
    def code(self) -> str:
        return db.session.get(Workshop, self.workshop_id).join_code

    @property
    def project_id(self) -> int:
        return db.session.get(Workshop, self.workshop_id).project_id

    @property
    def other_code(self) -> str:
        return db.session.get(Workshop, self.other_workshop_id).join_code

    def group(self, name: str = "Carer") -> int:
        return group_id(self.workshop_id, name)

    def number(self) -> int:
        """A number not used before in this module, for unique emails, titles and cids."""
        return next(self._numbers)

    def _share_workshop(self) -> None:
        for kind, access in ((SHARED_FACILITATOR, "facilitator"), (HELPER, "helper"),
                             (LEAD, "lead"), (REMOVED_FACILITATOR, "facilitator"),
                             (DISABLED_FACILITATOR, "facilitator")):
            workshops.share(self.boss, self.workshop_id, self.users[kind].email, access)
        workshops.unshare(self.boss, self.workshop_id, self.users[REMOVED_FACILITATOR].id)

    def _disable(self, kind: str) -> None:
        accounts.set_enabled(actor_of(self.users[ADMIN]), self.users[kind].id, False)

    def _roles(self) -> list[int]:
        return list(db.session.scalars(db.select(Role.id).where(
            Role.workshop_id == self.workshop_id, Role.retired.is_(False)).order_by(Role.id)))

    def _card(self, text: str) -> int:
        author = participants.join(self.code, self.group("Staff"), None, True)
        return cards.add_card(participants.actor_for(author), self.workshop_id, "responsibility",
                              text)["card"]["id"]

    def removable_role(self) -> int:
        """A role the matrix may remove: made again once a cell has removed it."""
        role = db.session.get(Role, self._removable_role_id) if self._removable_role_id else None
        if role is None or role.retired:
            self._removable_role_id = workshops.add_role(
                self.boss, self.workshop_id, workshops.RoleDetails(f"Role to remove {self.number()}"))
        return self._removable_role_id

    def removable_participant(self) -> int:
        """Someone who just joined, for a cell that removes a participant."""
        return participants.join(self.code, self.group(), None, True).id

    def shared_spare(self) -> int:
        """An account sharing the workshop, for a cell that takes the access away."""
        workshops.share(self.boss, self.workshop_id, self.spare.email, "helper")
        return self.spare.id

    def card_state(self, card_id: int) -> str:
        db.session.rollback()
        return db.session.get(Card, card_id).state

    # Browser sessions ---------------------------------------------------------------------

    def _session_for(self, kind: str) -> str | None:
        client = self.app.test_client()
        if kind in self.users:
            response = client.post("/login", data={"email": self.users[kind].email,
                                                   "password": PASSWORD,
                                                   "csrf_token": self._csrf(client, "/login")})
            assert response.status_code == 302, f"{kind} could not sign in"
        elif kind == PARTICIPANT_HERE:
            self._join(client, self.code, self.group())
        elif kind == PARTICIPANT_ELSEWHERE:
            self._join(client, self.other_code,
                       group_id(self.other_workshop_id, "Carer"))
        self._csrf(client, "/join")  # every session holds a form token from here on
        return self._cookie(client)

    def _join(self, client: FlaskClient, code: str, group: int) -> None:
        response = client.post(f"/j/{code}", data={"consent": "y", "constituency": group,
                                                  "csrf_token": self._csrf(client, f"/j/{code}")})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]

    @staticmethod
    def _cookie(client: FlaskClient) -> str | None:
        cookie = client.get_cookie("session")
        return cookie.value if cookie else None

    @staticmethod
    def _csrf(client: FlaskClient, page: str) -> str:
        match = CSRF_FIELD.search(client.get(page).get_data(as_text=True))
        assert match, f"no form token on {page}"
        return match.group(1)

    def browser(self, kind: str) -> FlaskClient:
        """A fresh browser holding a copy of this actor's session cookie."""
        client = self.app.test_client()
        if self.cookies[kind]:
            client.set_cookie("session", self.cookies[kind])
        return client

    def csrf_for(self, kind: str) -> str:
        """The form token this actor's session sends with every form."""
        if kind not in self._tokens:
            self._tokens[kind] = self._csrf(self.browser(kind), "/join")
        return self._tokens[kind]

    def signed_out(self, kind: str) -> None:
        """This actor signed out everywhere: sign in again for what follows."""
        if kind in self.users and kind != DISABLED_FACILITATOR:
            self.cookies[kind] = self._session_for(kind)
            self._tokens.pop(kind, None)

    def socket(self, kind: str, view: str):
        """A Socket.IO test client of this actor for workshop A's `view` (maybe refused)."""
        from coprod.realtime.server import socketio

        # Test sockets share the test's app context, where Flask-Login caches the user it
        # loaded: forget it, or this socket would be let in as the account that connected before.
        g.pop("_login_user", None)
        return socketio.test_client(self.app, flask_test_client=self.browser(kind),
                                    auth={"workshop": self.workshop_id, "view": view})
