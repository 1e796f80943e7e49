"""Text typed on the live pages: what cannot be stored exactly is refused on its field, kindly,
and nothing is saved. The Socket.IO test client encodes payloads as JSON, as a browser does, so
a lone surrogate ("\\ud800" in JSON) arrives exactly as it would from a page."""

import pytest

from coprod.extensions import db
from coprod.models import Card
from coprod.services import audit, outlines

from .test_builder_socket import roles
from .test_live_cards import add

UNSTORABLE = {"a control character": "Rings people back\x07 the same day",
              "a lone surrogate": "Rings people back \ud800 the same day"}
CANNOT_SHOW = "has a character we cannot show. Please retype it."


def refused_on(ack: dict, field: str) -> bool:
    return (ack["ok"] is False and ack["error"]["code"] == "invalid"
            and ack["error"]["field"] == field and ack["error"]["message"].endswith(CANNOT_SHOW))


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_ideas_rewordings_and_hide_reasons_are_refused_and_nothing_is_saved(room, bad):
    phone, console = room.phone(), room.staff()
    card_id = add(phone)["card"]["id"]
    before = audit.head(room.workshop_id)
    assert refused_on(add(phone, text=bad, cid="cid-0000000002"), "text")
    assert refused_on(console.emit("card:edit", {"card_id": card_id, "text": bad},
                                   callback=True), "text")
    assert refused_on(console.emit("card:hide", {"card_id": card_id, "reason": bad},
                                   callback=True), "reason")
    assert audit.head(room.workshop_id) == before
    card = db.session.query(Card).one()
    assert (card.text, card.state) == ("Helps people find local support", "visible")


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_outline_lines_job_details_and_sign_off_notes_are_refused(room, bad):
    console = room.staff()
    navigator = roles(room)["Navigator"]
    assert console.emit("outline:open", {"role_id": navigator}, callback=True)["ok"]
    added = console.emit("outline:change", {"role_id": navigator, "base_version": 1, "operation": {
        "kind": "add_text", "section": "responsibilities", "text": "Rings people back"}},
        callback=True)
    line = added["outline"]["content"]["responsibilities"][0]["id"]
    before = audit.head(room.workshop_id)
    for operation, field in (
            ({"kind": "add_text", "section": "responsibilities", "text": bad}, "text"),
            ({"kind": "update_item", "section": "responsibilities", "item_id": line,
              "changes": {"text": bad}}, "text"),
            ({"kind": "update_fields", "changes": {"title": bad}}, "title"),
            ({"kind": "update_fields", "changes": {"purpose": bad}}, "purpose")):
        ack = console.emit("outline:change", {"role_id": navigator, "base_version": 2,
                                              "operation": operation}, callback=True)
        assert refused_on(ack, field), operation
    assert refused_on(console.emit("outline:sign", {"role_id": navigator, "version": 2,
                                                    "note": bad}, callback=True), "note")
    assert audit.head(room.workshop_id) == before
    latest = outlines.latest_version(navigator)
    assert (latest.number, latest.status) == (2, "draft")
    assert [item["text"] for item in outlines.content_of(latest)["responsibilities"]] == [
        "Rings people back"]
