"""An event coprod does not know gets a clear refusal in its acknowledgement, not silence (a
page that waits for an answer that never comes looks frozen)."""

from coprod.services import audit

from .test_live_cards import add


def test_an_unknown_event_is_answered_with_a_clear_error(room, caplog):
    phone, console = room.phone(), room.staff()
    before = audit.head(room.workshop_id)
    for client, event in ((phone, "card:teleport"), (console, "phase:skip_to_the_end")):
        ack = client.emit(event, {"card_id": 1}, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "unknown_event"
        assert "reload the page" in ack["error"]["message"]
    assert console.emit("no-payload-at-all", callback=True)["error"]["code"] == "unknown_event"
    assert audit.head(room.workshop_id) == before
    assert "unknown socket event 'card:teleport'" in caplog.text
    assert add(phone)["ok"] is True  # known events still reach their handlers
