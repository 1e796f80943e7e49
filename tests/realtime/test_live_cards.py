"""Cards over Socket.IO: acks after commit, the right rooms, and refusals that change nothing."""

from coprod.extensions import db
from coprod.models import Card

from .conftest import received


def add(phone, text="Helps people find local support", cid="cid-0000000001", **extra):
    return phone.emit("card:add", {"cid": cid, "kind": "responsibility", "text": text, **extra},
                      callback=True)


def test_a_card_from_a_phone_reaches_projector_and_console(room, notifier):
    projector, console, phone = room.staff("projector"), room.staff("console"), room.phone()
    assert all(client.is_connected() for client in (projector, console, phone))
    room.quiet()
    ack = add(phone)
    assert ack["ok"] is True and ack["card"]["mine"] is True
    notifier.flush(force_phones=True)
    on_wall = received(projector)
    assert [(e["name"], e["data"]["text"]) for e in on_wall] == [
        ("card.added", "Helps people find local support")]
    assert on_wall[0]["seq"] == 2  # the move to "contribute" was the first room event
    staff = {e["name"]: e["data"] for e in received(console)}
    assert staff["card.staff"]["constituency"] == "Carer"
    assert "constituency" not in on_wall[0]["data"]
    assert [e["name"] for e in received(phone)] == ["card.added"]


def test_counts_reach_the_projector_once_per_tick(room, notifier):
    projector = room.staff("projector")
    room.quiet()
    room.phone("Carer")
    room.phone("Staff")
    notifier.flush()
    counts = received(projector, "counts")
    assert len(counts) == 1
    assert {c["name"]: c["count"] for c in counts[0]["counts"]}["Carer"] == 1


def test_a_repeated_client_id_is_one_card(room):
    phone = room.phone()
    first, again = add(phone), add(phone)
    assert again["ok"] and again["repeat"] is True and again["card"]["id"] == first["card"]["id"]
    assert db.session.query(Card).count() == 1


def test_a_phone_cannot_send_facilitator_events(room):
    phone = room.phone()
    card_id = add(phone)["card"]["id"]
    for event, payload in (("card:hide", {"card_id": card_id, "reason": "mine"}),
                           ("card:edit", {"card_id": card_id, "text": "changed"}),
                           ("card:show", {"card_id": card_id}),
                           ("phase:set", {"phase": "review"}),
                           ("participant:forget", {"participant_id": 1})):
        ack = phone.emit(event, payload, callback=True)
        assert ack == {"ok": False, "error": {"code": "forbidden",
                                              "message": "Only the facilitator can do that."}}
    card = db.session.get(Card, card_id)
    assert (card.state, card.text) == ("visible", "Helps people find local support")


def test_malformed_payloads_get_a_clear_error_and_store_nothing(room):
    phone = room.phone()
    for payload in (None, "text", [], {"kind": "responsibility", "text": "no id"},
                    {"cid": "cid-0000000002", "kind": "responsibility", "text": 42},
                    {"cid": "cid-0000000003", "kind": "responsibility", "text": "x", "admin": True},
                    {"cid": "short", "kind": "responsibility", "text": "x"}):
        ack = phone.emit("card:add", payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "invalid", payload
        assert "reload the page" in ack["error"]["message"]
    assert db.session.query(Card).count() == 0


def test_over_long_and_empty_cards_name_the_limit(room):
    phone = room.phone()
    too_long = add(phone, text="x" * 281, cid="cid-0000000004")
    assert too_long["ok"] is False and "up to 280 characters" in too_long["error"]["message"]
    empty = add(phone, text="   ", cid="cid-0000000005")
    assert empty["ok"] is False and empty["error"]["field"] == "text"
    assert db.session.query(Card).count() == 0


def test_the_facilitator_hides_and_edits_from_the_console(room, notifier):
    console, phone, projector = room.staff(), room.phone(), room.staff("projector")
    card_id = add(phone)["card"]["id"]
    edited = console.emit("card:edit", {"card_id": card_id, "text": "Helps people find support nearby"},
                          callback=True)
    assert edited["ok"] and edited["card"]["version"] == 2
    hidden = console.emit("card:hide", {"card_id": card_id, "reason": "Repeats another idea"},
                          callback=True)
    assert hidden["ok"] and hidden["card"]["state"] == "hidden"
    notifier.flush(force_phones=True)
    removed = [e for e in received(projector) if e["name"] == "card.removed"]
    assert [e["data"]["id"] for e in removed] == [card_id]
    mine = [e for e in received(phone) if e["name"] == "card.mine"]
    assert mine and mine[-1]["data"]["hidden_reason"] == "Repeats another idea"


def test_a_phone_cannot_connect_without_joining(room):
    stranger = room.connect(room.http(), "phone")
    assert not stranger.is_connected()


def test_a_phone_cannot_connect_to_another_workshop(room):
    from ..factories import make_workshop
    other = make_workshop(room.owner)
    phone = room.phone(workshop_id=other)
    assert not phone.is_connected()


def test_another_facilitator_cannot_open_the_console(room):
    from ..factories import make_user
    outsider = room.staff("console", user=make_user())
    assert not outsider.is_connected()


def test_a_console_stops_working_after_signing_out(room):
    from coprod.services import accounts
    console, phone = room.staff(), room.phone()
    card_id = add(phone)["card"]["id"]
    accounts.end_sessions(room.owner.id)
    assert not console.is_connected()  # closed at once (tests/realtime/test_access_ends.py)
    assert db.session.get(Card, card_id).state == "visible"
