"""Who may use what: every route of the app's URL map and every client event of docs/protocol.md,
tried by every kind of person, against a table of what each of them is allowed to do.

The cells are generated: a new route or socket event with no row here fails the suite, naming it,
and so does a row for something that no longer exists. Every request is real (the test client
with the session's form token; Flask-SocketIO's test client for events), and sends a request that
would succeed if the sender were allowed, so a refusal comes from the access check and not from a
form that could not be read.

    allowed  the answer is anything but a refusal (a page, a redirect elsewhere, a form error, an
             ack that is ok or names another problem), and never a server error;
    refused  HTTP 401 or 403, a redirect to the sign-in page, or the "we could not find that
             workshop" page coprod shows to accounts it is not shared with (so its existence
             stays private); on a socket, a refused connection or an ack with code "forbidden".
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from coprod.realtime.server import UNREADABLE, socketio
from coprod.services.access import NOT_FOUND
from coprod.services.projects import PROJECT_NOT_FOUND

from .support.actors import (
    ACTORS,
    ADMIN,
    ANONYMOUS,
    DISABLED_FACILITATOR,
    HELPER,
    LEAD,
    OWNER,
    PARTICIPANT_ELSEWHERE,
    PARTICIPANT_HERE,
    REMOVED_FACILITATOR,
    SHARED_FACILITATOR,
    UNRELATED_FACILITATOR,
    World,
)

PROTOCOL = Path(__file__).resolve().parents[1] / "docs" / "protocol.md"
NOT_ROUTES = {"static"}  # files anyone may fetch; no access rule applies
# The connection itself, the answer to unknown events, and what an unreadable message becomes:
# none is an event a client sends on purpose.
NOT_EVENTS = {"connect", "disconnect", "*", UNREADABLE}
VIEWS = ("phone", "projector", "console")

EVERYONE = frozenset(ACTORS)
SIGNED_IN = frozenset({ADMIN, OWNER, SHARED_FACILITATOR, HELPER, LEAD, UNRELATED_FACILITATOR,
                       REMOVED_FACILITATOR})
CREATORS = frozenset({ADMIN, OWNER, SHARED_FACILITATOR, UNRELATED_FACILITATOR,
                      REMOVED_FACILITATOR})  # account kinds that may create workshops
RUNNERS = frozenset({OWNER, SHARED_FACILITATOR})
READERS = RUNNERS | {HELPER, LEAD}
PAPER = RUNNERS | {HELPER}
EXPORTERS = RUNNERS | {LEAD}
ONLY_OWNER = frozenset({OWNER})
ONLY_ADMIN = frozenset({ADMIN})
ONLY_PHONE = frozenset({PARTICIPANT_HERE})
ADD_CARDS = RUNNERS | {PARTICIPANT_HERE}
ANY_VIEW = READERS | {PARTICIPANT_HERE}


@dataclass(frozen=True)
class Route:
    """Who may use one route, and the form that would succeed for them."""

    allowed: frozenset
    form: Callable[[World], dict] = lambda world: {}
    # Answers an allowed request may give that are not errors for this route.
    not_found_is_fine: bool = False


def _workshop_form(world: World) -> dict:
    return {"title": "Roles for our community mental health centre", "held_on": "2027-03-14",
            "venue": "Carmarthen", "constituencies": "Service user or patient\nCarer\nStaff",
            "templates": "navigator"}


def _account_form(world: World) -> dict:
    number = world.number()
    return {"email": f"new{number}@example.org", "display_name": f"New person {number}",
            "role": "helper", "password": "a new long passphrase", "confirm": "a new long passphrase"}


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/"): Route(EVERYONE),
    ("GET", "/login"): Route(EVERYONE),
    ("POST", "/login"): Route(EVERYONE),  # an empty form: signing in is anyone's to try
    ("GET", "/setup/<token>"): Route(EVERYONE, not_found_is_fine=True),  # used link: "not found"
    ("POST", "/setup/<token>"): Route(EVERYONE, not_found_is_fine=True),
    ("GET", "/join"): Route(EVERYONE),
    ("POST", "/join"): Route(EVERYONE, lambda world: {"code": world.code}),
    ("GET", "/j/<code>"): Route(EVERYONE),
    ("POST", "/j/<code>"): Route(EVERYONE, lambda world: {"consent": "y",
                                                          "constituency": world.group()}),
    ("GET", "/p/<code>"): Route(EVERYONE),  # someone who has not joined is sent to join
    ("POST", "/p/<code>/return-code"): Route(ONLY_PHONE),  # their own code, on their phone
    ("GET", "/account/password"): Route(SIGNED_IN),
    ("POST", "/account/password"): Route(SIGNED_IN, lambda world: {
        "current_password": "not their password", "password": "another long passphrase",
        "confirm": "another long passphrase"}),
    ("GET", "/admin/accounts"): Route(ONLY_ADMIN),
    ("POST", "/admin/accounts"): Route(ONLY_ADMIN, _account_form),
    ("POST", "/admin/accounts/<int:user_id>/enabled"): Route(ONLY_ADMIN, lambda world: {
        "enabled": "1"}),  # switches the spare account on (it already is): changes nothing
    # Only facilitators and admins see the form or create (helpers and leads get a 403).
    ("GET", "/workshops/new"): Route(CREATORS),
    ("POST", "/workshops/new"): Route(CREATORS, _workshop_form),
    ("GET", "/workshops/<int:workshop_id>"): Route(READERS),
    ("GET", "/workshops/<int:workshop_id>/audit"): Route(READERS),
    ("GET", "/workshops/<int:workshop_id>/projector"): Route(READERS),
    ("GET", "/workshops/<int:workshop_id>/qr.svg"): Route(READERS),
    ("GET", "/workshops/<int:workshop_id>/console"): Route(RUNNERS),
    ("POST", "/workshops/<int:workshop_id>/details"): Route(RUNNERS, _workshop_form),
    ("POST", "/workshops/<int:workshop_id>/constituencies"): Route(RUNNERS, _workshop_form),
    ("POST", "/workshops/<int:workshop_id>/consensus"): Route(RUNNERS, lambda world: {
        "consensus_threshold": 60, "consensus_min_voters": 2, "divisive_gap": 30}),
    ("POST", "/workshops/<int:workshop_id>/moderation"): Route(RUNNERS),
    ("POST", "/workshops/<int:workshop_id>/expected-size"): Route(RUNNERS, lambda world: {
        "expected_size": 30}),
    ("POST", "/workshops/<int:workshop_id>/roles"): Route(RUNNERS, lambda world: {
        "title": f"Peer support worker {world.number()}"}),
    ("POST", "/workshops/<int:workshop_id>/roles/template"): Route(RUNNERS, lambda world: {
        "template": "cmhc_nurse"}),
    ("POST", "/workshops/<int:workshop_id>/roles/<int:role_id>"): Route(RUNNERS, lambda world: {
        "title": "Navigator", "setting": "Community mental health centre"}),
    ("POST", "/workshops/<int:workshop_id>/roles/<int:role_id>/remove"): Route(RUNNERS),
    ("POST", "/workshops/<int:workshop_id>/share"): Route(ONLY_OWNER, lambda world: {
        "email": world.spare.email, "access": "helper"}),
    ("POST", "/workshops/<int:workshop_id>/share/<int:user_id>/remove"): Route(ONLY_OWNER),
    ("GET", "/workshops/<int:workshop_id>/vote-too"): Route(RUNNERS),
    ("POST", "/workshops/<int:workshop_id>/vote-too"): Route(RUNNERS, lambda world: {
        "constituency": world.group("Staff")}),
    ("GET", "/workshops/<int:workshop_id>/paper"): Route(PAPER),
    ("POST", "/workshops/<int:workshop_id>/paper"): Route(PAPER, lambda world: {
        "name": "B. C.", "constituency": world.group()}),
    ("POST", "/workshops/<int:workshop_id>/paper/<int:person_id>/cards"): Route(
        PAPER, lambda world: {"kind": "responsibility", "role_id": 0,
                              "text": f"Rings people the day before {world.number()}",
                              "cid": f"paper-{world.number():08d}"}),
    ("POST", "/workshops/<int:workshop_id>/paper/<int:person_id>/votes"): Route(PAPER),
    # Return codes are keys to people's pseudonyms: only those who run the session see them.
    ("GET", "/workshops/<int:workshop_id>/return-codes"): Route(RUNNERS),
    ("POST", "/workshops/<int:workshop_id>/return-codes/issue"): Route(RUNNERS, lambda world: {
        "participant_id": world.paper_person_id}),
    ("GET", "/workshops/<int:workshop_id>/outlines/"): Route(READERS),
    ("GET", "/workshops/<int:workshop_id>/outlines/<int:role_id>"): Route(READERS),
    ("GET", "/workshops/<int:workshop_id>/outlines/<int:role_id>/compare"): Route(READERS),
    ("GET", "/workshops/<int:workshop_id>/outlines/matrix"): Route(READERS),
    ("GET", "/workshops/<int:workshop_id>/outlines/build"): Route(RUNNERS),
    ("POST", "/workshops/<int:workshop_id>/outlines/export"): Route(EXPORTERS, lambda world: {
        "format": "json"}),
    # Starting the next session carries everything forward (the first allowed try makes
    # session 2; later tries are told kindly that it has not started yet: a form error).
    ("GET", "/projects/<int:project_id>/sessions/new"): Route(RUNNERS),
    ("POST", "/projects/<int:project_id>/sessions/new"): Route(RUNNERS, lambda world: {
        "title": "Session 2", "held_on": "2027-04-11", "venue": "Llanelli"}),
    # The project page and its record: read by everyone it is shared with; changed by those
    # who run it; exported by those who may export outlines.
    ("GET", "/projects/new"): Route(CREATORS),
    ("POST", "/projects/new"): Route(CREATORS, lambda world: {
        **_workshop_form(world), "project_title": f"Role redesign {world.number()}",
        "target_per_group": "10"}),
    ("GET", "/projects/<int:project_id>"): Route(READERS),
    ("POST", "/projects/<int:project_id>/details"): Route(RUNNERS, lambda world: {
        "project_title": "Roles for our community mental health centre", "target_per_group": ""}),
    ("POST", "/projects/<int:project_id>/milestones"): Route(RUNNERS, lambda world: {
        "milestone_title": "Outlines to workforce team", "due_on": "2027-04-01"}),
    ("POST", "/projects/<int:project_id>/milestones/<int:milestone_id>/done"): Route(RUNNERS),
    ("POST", "/projects/<int:project_id>/milestones/<int:milestone_id>/remove"): Route(RUNNERS),
    ("GET", "/projects/<int:project_id>/export.<fmt>"): Route(EXPORTERS),
    # The evidence pack: read by everyone the project is shared with, changed by those who run
    # it; its "Before you start" page and PDFs are public to anyone with the join code.
    ("GET", "/projects/<int:project_id>/evidence"): Route(READERS),
    ("POST", "/projects/<int:project_id>/evidence"): Route(RUNNERS, lambda world: {
        "title": f"Report {world.number()}", "url": "https://example.org/report"}),
    ("POST", "/projects/<int:project_id>/evidence/<int:item_id>/remove"): Route(RUNNERS),
    ("POST", "/projects/<int:project_id>/evidence/<int:item_id>/seed-ideas"): Route(
        RUNNERS, lambda world: {f"seed-{_evidence_item(world)}-kind": "responsibility",
                                f"seed-{_evidence_item(world)}-text": "Helps people plan care"}),
    ("POST", "/projects/<int:project_id>/before"): Route(RUNNERS, lambda world: {
        "duration": "About 2 hours"}),
    ("GET", "/before/<code>"): Route(EVERYONE),
    ("GET", "/before/<code>/evidence/<int:item_id>"): Route(EVERYONE),
    ("POST", "/logout"): Route(SIGNED_IN),  # tried last by each actor: it ends their sessions
}


@dataclass(frozen=True)
class Event:
    """Who may send one client event, and a payload that would succeed for them."""

    allowed: frozenset
    payload: Callable[[World], dict] = lambda world: {}


EVENTS: dict[str, Event] = {
    "sync": Event(ANY_VIEW),
    "card:add": Event(ADD_CARDS, lambda world: {
        "cid": f"matrix-{world.number():08d}", "kind": "responsibility",
        "text": "Checks in with carers every week"}),
    "card:translate": Event(RUNNERS, lambda world: {
        "card_id": world.card_ids[0], "text": "Yn helpu pobl i ddod o hyd i grwpiau cymorth lleol"}),
    "card:edit": Event(RUNNERS, lambda world: {"card_id": world.card_ids[0],
                                               "text": "Helps people find local support groups"}),
    "card:hide": Event(RUNNERS, lambda world: {"card_id": world.card_ids[1],
                                               "reason": "Said twice"}),
    "card:show": Event(RUNNERS, lambda world: {"card_id": world.card_ids[1]}),
    "phase:set": Event(RUNNERS, lambda world: {"phase": "contribute"}),
    "participant:forget": Event(RUNNERS, lambda world: {"participant_id": world.paper_person_id}),
    "participant:remove": Event(RUNNERS, lambda world: {
        "participant_id": world.removable_participant()}),
    "room:lock": Event(RUNNERS, lambda world: {"locked": False}),  # open already: changes nothing
    "countdown:set": Event(RUNNERS, lambda world: {"minutes": 0}),
    "wall:page": Event(RUNNERS, lambda world: {"action": "hold"}),
    "card:merge": Event(RUNNERS, lambda world: {"source_id": world.card_ids[2],
                                                "target_id": world.card_ids[0]}),
    "merge:undo": Event(RUNNERS, lambda world: {"merge_id": 1}),
    "round:open": Event(RUNNERS, lambda world: {"mode": "agree"}),
    "round:close": Event(RUNNERS, lambda world: {"round_id": 1}),
    "round:reveal": Event(RUNNERS, lambda world: {"round_id": 1}),
    "outline:open": Event(RUNNERS, lambda world: {"role_id": world.role_id}),
    "outline:change": Event(RUNNERS, lambda world: {
        "role_id": world.role_id, "base_version": 1,
        "operation": {"kind": "add_text", "section": "values", "text": "Kindness"}}),
    "outline:draft": Event(RUNNERS, lambda world: {"role_id": world.role_id, "base_version": 1}),
    "outline:sign": Event(RUNNERS, lambda world: {"role_id": world.role_id, "version": 1}),
    "outline:show": Event(RUNNERS, lambda world: {"role_id": None}),
    "vote:set": Event(ONLY_PHONE, lambda world: {
        "cid": f"vote-{world.number():08d}", "round_id": 1, "card_id": world.card_ids[0],
        "value": "agree"}),
}


@dataclass
class Tally:
    """What the matrix found, for the failure message and the summary line."""

    refused: int = 0
    allowed: int = 0
    wrong: list[str] = field(default_factory=list)

    def record(self, cell: str, expected_allowed: bool, outcome: str) -> None:
        if outcome == "server error":
            self.wrong.append(f"{cell}: server error")
        elif (outcome == "allowed") != expected_allowed:
            self.wrong.append(f"{cell}: expected {'allowed' if expected_allowed else 'refused'}, "
                              f"was {outcome}")
        elif expected_allowed:
            self.allowed += 1
        else:
            self.refused += 1


@pytest.fixture(scope="module")
def world(module_app):
    return World(module_app)


# The tables cover exactly what exists -------------------------------------------------------

def url_map_cells(app) -> set[tuple[str, str]]:
    """Every (method, rule) the app answers, except static files and automatic HEAD/OPTIONS."""
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            if rule.endpoint not in NOT_ROUTES
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def protocol_events() -> list[str]:
    """The client events listed in docs/protocol.md's "Events from clients" table."""
    section = PROTOCOL.read_text().split("## Events from clients", 1)[1]
    table = section.split("\n| event |", 1)[1].split("\n\n", 1)[0]  # the first table only
    return re.findall(r"^\| `([^`]+)` \|", table, flags=re.MULTILINE)


def handled_events() -> set[str]:
    """The events the server registered a handler for."""
    return set(socketio.server.handlers.get("/", {})) - NOT_EVENTS


def test_every_route_has_an_expected_answer(module_app):
    routes = url_map_cells(module_app)
    missing = sorted(routes - ROUTES.keys())
    gone = sorted(ROUTES.keys() - routes)
    assert not missing, f"routes with no row in the authorisation matrix: {missing}"
    assert not gone, f"rows for routes that no longer exist: {gone}"


def test_every_client_event_has_an_expected_answer(module_app):
    listed = protocol_events()
    assert len(listed) == len(set(listed)), "an event is listed twice in docs/protocol.md"
    missing = sorted(set(listed) - EVENTS.keys())
    gone = sorted(EVENTS.keys() - set(listed))
    undocumented = sorted(handled_events() - set(listed))
    assert not missing, f"events in docs/protocol.md with no row in the matrix: {missing}"
    assert not gone, f"rows for events docs/protocol.md no longer lists: {gone}"
    assert not undocumented, f"events the server handles that docs/protocol.md does not list: " \
                             f"{undocumented}"


# The cells ----------------------------------------------------------------------------------

def _path(world: World, rule: str, allowed: bool) -> str:
    values = {"workshop_id": world.workshop_id, "code": world.code, "token": "no-such-link",
              "project_id": world.project_id,
              "milestone_id": _fresh_milestone(world) if "<int:milestone_id>" in rule else 0,
              "fmt": "json",
              "item_id": _fresh_evidence_item(world) if rule.endswith("/remove") and
              "/evidence/" in rule else _evidence_item(world) if "<int:item_id>" in rule else 0,
              "person_id": world.paper_person_id,
              "role_id": world.removable_role() if rule.endswith("/remove") and "roles" in rule
              else world.role_id,
              "user_id": world.shared_spare() if allowed and "/share/" in rule else world.spare.id}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def _fresh_milestone(world: World) -> int:
    """A new milestone of the world's project, for each try to mark done or remove."""
    from datetime import date

    from coprod.services import projects
    return projects.add_milestone(world.boss, world.project_id, f"Milestone {world.number()}",
                                  date(2027, 4, 1))


def _evidence_item(world: World) -> int:
    """The world's project's one evidence item with a PDF (made on first use)."""
    if getattr(world, "evidence_item_id", None) is None:
        from coprod.domain.evidence import EvidenceDetails
        from coprod.services import evidence
        world.evidence_item_id = evidence.add_item(
            world.boss, world.project_id, EvidenceDetails("Bevan Exemplar report"),
            evidence.Upload("report.pdf", b"%PDF-1.4\n%%EOF\n"))
    return world.evidence_item_id


def _fresh_evidence_item(world: World) -> int:
    """A new evidence item (a link only), for each try to remove one."""
    from coprod.domain.evidence import EvidenceDetails
    from coprod.services import evidence
    return evidence.add_item(world.boss, world.project_id, EvidenceDetails(
        f"Item {world.number()}", url="https://example.org/item"))


def http_outcome(response, route: Route) -> str:
    """'allowed', 'refused', 'server error' or 'not found' for one answer."""
    status = response.status_code
    if status >= 500:
        return "server error"
    if status in (401, 403):
        return "refused"
    if status in (301, 302, 303, 307) and response.headers["Location"].startswith("/login?next="):
        return "refused"  # Flask-Login sends people who must sign in first there
    if status == 404:
        if any(str(hidden) in response.get_data(as_text=True)
               for hidden in (NOT_FOUND, PROJECT_NOT_FOUND)):
            return "refused"
        return "allowed" if route.not_found_is_fine else "not found"
    return "allowed"


def _route_order(cell: tuple[str, str]) -> bool:
    return cell == ("POST", "/logout")  # last: signing out ends the actor's other sessions


def test_every_route_answers_every_actor_as_the_table_says(world):
    tally = Tally()
    for method, rule in sorted(ROUTES, key=_route_order):
        route = ROUTES[method, rule]
        for actor in ACTORS:
            expected = actor in route.allowed
            browser = world.browser(actor)
            path = _path(world, rule, expected)
            if method == "GET":
                response = browser.get(path)
            else:
                response = browser.post(path, data={**route.form(world),
                                                     "csrf_token": world.csrf_for(actor)})
            tally.record(f"{method} {rule} as {actor} ({response.status_code})", expected,
                         http_outcome(response, route))
    for actor in SIGNED_IN:
        world.signed_out(actor)
    print(f"\nauthorisation matrix, routes: {tally.allowed + tally.refused} cells, "
          f"{tally.refused} refused, {tally.allowed} allowed")
    assert not tally.wrong, "\n".join(tally.wrong)


def socket_outcome(client, event: str, payload: dict) -> str:
    """'refused' when the connection was refused or the ack says forbidden, else 'allowed'."""
    if not client.is_connected():
        return "refused"
    ack = client.emit(event, payload, callback=True)
    client.disconnect()
    if ack.get("ok"):
        return "allowed"
    code = ack["error"]["code"]
    if code == "server_error":
        return "server error"
    return "refused" if code == "forbidden" else "allowed"


def test_every_client_event_answers_every_actor_as_the_table_says(world):
    tally = Tally()
    sends = 0
    for event, rule in EVENTS.items():
        for actor in ACTORS:
            # An actor is allowed if any screen they can open may send it; refused only if every
            # screen is refused at connect or told "forbidden".
            outcomes = {view: socket_outcome(world.socket(actor, view), event, rule.payload(world))
                        for view in VIEWS}
            sends += len(outcomes)
            if "server error" in outcomes.values():
                outcome = "server error"
            else:
                outcome = "allowed" if "allowed" in outcomes.values() else "refused"
            tally.record(f"{event} as {actor} {outcomes}", actor in rule.allowed, outcome)
    print(f"\nauthorisation matrix, socket events: {tally.allowed + tally.refused} cells "
          f"({sends} connections), {tally.refused} refused, {tally.allowed} allowed")
    assert not tally.wrong, "\n".join(tally.wrong)


def _can_connect(world: World, actor: str, view: str) -> bool:
    client = world.socket(actor, view)
    connected = client.is_connected()
    if connected:
        client.disconnect()
    return connected


def test_a_disabled_account_loses_its_open_session(world):
    """The disabled facilitator signed in before being disabled: nothing of theirs works now."""
    browser = world.browser(DISABLED_FACILITATOR)
    response = browser.get(f"/workshops/{world.workshop_id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert not _can_connect(world, DISABLED_FACILITATOR, "console")
    assert not _can_connect(world, DISABLED_FACILITATOR, "projector")


def test_only_this_workshops_participant_opens_its_phone_view(world):
    assert _can_connect(world, PARTICIPANT_HERE, "phone")
    assert not _can_connect(world, PARTICIPANT_ELSEWHERE, "phone")
    assert not _can_connect(world, ANONYMOUS, "phone")
