"""The outline builder over Socket.IO: staff only, versions in the ack, the projector follows."""

from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import audit, outlines

from ..factories import make_user, set_phase
from .conftest import received
from .test_live_cards import add


def roles(room):
    return {role.title: role.id for role in db.session.get(Workshop, room.workshop_id).roles}


def test_the_builder_saves_versions_and_the_projector_shows_the_outline(room, notifier):
    console, phone, projector = room.staff(), room.phone(), room.staff("projector")
    card_id = add(phone)["card"]["id"]
    set_phase(room.owner, room.workshop_id, "review", "vote", "results", "build")
    navigator = roles(room)["Navigator"]
    opened = console.emit("outline:open", {"role_id": navigator}, callback=True)
    assert opened["ok"] and opened["outline"]["number"] == 1
    assert [c["id"] for c in opened["builder"]["cards"]] == [card_id]
    assert console.emit("outline:show", {"role_id": navigator}, callback=True)["ok"]
    room.quiet()
    saved = console.emit("outline:change", {"role_id": navigator, "base_version": 1, "operation": {
        "kind": "add_card", "section": "responsibilities", "card_id": card_id}}, callback=True)
    assert saved["ok"] and saved["outline"]["number"] == 2
    notifier.flush(force_phones=True)
    on_wall = [e for e in received(projector) if e["name"] == "outline.changed"]
    assert on_wall[-1]["data"]["content"]["responsibilities"][0]["text"] == \
        "Helps people find local support"
    assert [e["data"]["number"] for e in received(console) if e["name"] == "outline.changed"] == [2]
    assert not [e for e in received(phone) if e["name"].startswith("outline.")]  # phones never
    state = projector.emit("sync", {}, callback=True)["state"]
    assert state["outline"]["number"] == 2


def test_phones_and_leads_cannot_build(room):
    phone = room.phone()
    navigator = roles(room)["Navigator"]
    for event, payload in (("outline:open", {"role_id": navigator}),
                           ("outline:sign", {"role_id": navigator, "version": 1}),
                           ("outline:show", {"role_id": navigator})):
        assert phone.emit(event, payload, callback=True)["error"]["code"] == "forbidden"
    from coprod.services import workshops

    from ..factories import actor_of
    lead = make_user("lead")
    workshops.share(actor_of(room.owner), room.workshop_id, lead.email, "lead")
    assert not room.staff("console", user=lead).is_connected()  # a lead's screen is read-only


def test_malformed_builder_requests_are_refused(room):
    console = room.staff()
    navigator = roles(room)["Navigator"]
    console.emit("outline:open", {"role_id": navigator}, callback=True)
    for payload in ({"role_id": navigator, "base_version": 1, "operation": {}},
                    {"role_id": navigator, "base_version": 1, "operation": {"kind": "teleport"}},
                    {"role_id": navigator, "base_version": 1, "operation": {
                        "kind": "add_text", "section": "hobbies", "text": "Knits"}},
                    {"role_id": navigator, "operation": {"kind": "add_text"}}):
        ack = console.emit("outline:change", payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "invalid", payload


def test_changing_an_agreed_version_is_refused_kindly_and_changes_nothing(room, notifier):
    console, other_console = room.staff(), room.staff()
    card_id = add(room.phone())["card"]["id"]
    set_phase(room.owner, room.workshop_id, "review", "vote", "results", "build")
    navigator = roles(room)["Navigator"]
    console.emit("outline:open", {"role_id": navigator}, callback=True)
    console.emit("outline:change", {"role_id": navigator, "base_version": 1, "operation": {
        "kind": "add_card", "section": "responsibilities", "card_id": card_id}}, callback=True)
    assert console.emit("outline:sign", {"role_id": navigator, "version": 2},
                        callback=True)["outline"]["status"] == "agreed"
    room.quiet()
    before = audit.head(room.workshop_id)
    ack = console.emit("outline:change", {"role_id": navigator, "base_version": 2, "operation": {
        "kind": "add_text", "section": "values", "text": "Kind"}}, callback=True)
    assert ack == {"ok": False, "error": {
        "code": "conflict", "field": "base_version",
        "message": "Version 2 was agreed and is now frozen, so it cannot be changed. "
                   "Start a new draft to make changes."}}
    assert audit.head(room.workshop_id) == before
    latest = outlines.latest_version(navigator)
    assert (latest.number, latest.status) == (2, "agreed")
    assert "Kind" not in [line["text"] for line in outlines.content_of(latest)["values"]]
    notifier.flush(force_phones=True)
    assert not [e for e in received(other_console) if e["name"] == "outline.changed"]
