"""Lock the room from the console: staff only, audited, heard by every console and the wall; and
the console's joining figures, computed on the server so every console shows the same."""

import pytest

from coprod.domain.joining import RoomLocked
from coprod.services import audit, workshops

from ..factories import actor_of, join, make_user
from .conftest import pick, received


def joining_messages(client) -> list[dict]:
    return received(client, "joining")


def test_the_console_locks_the_room_and_every_console_and_the_wall_hear_it(room, notifier):
    console, other_console = room.staff(), room.staff()
    projector, phone = room.staff("projector"), room.phone()
    room.quiet()
    ack = console.emit("room:lock", {"locked": True}, callback=True)
    assert ack == {"ok": True, "locked": True}
    notifier.flush(force_phones=True)
    for screen in (console, other_console):
        assert [message["locked"] for message in joining_messages(screen)] == [True]
    # The wall says only that the room is closed to new people: no figures, no names.
    assert joining_messages(projector) == [{"locked": True}]
    assert pick(phone.get_received(), "joining") == []
    assert [e.action for e in audit.events_for(room.workshop_id)][0] == "room.locked"
    with pytest.raises(RoomLocked):
        join(room.workshop_id)

    ack = other_console.emit("room:lock", {"locked": False}, callback=True)
    assert ack == {"ok": True, "locked": False}
    notifier.flush()
    assert joining_messages(projector) == [{"locked": False}]
    assert [e.action for e in audit.events_for(room.workshop_id)][0] == "room.unlocked"
    assert audit.verify(room.workshop_id).ok


def test_phones_projectors_and_leads_cannot_lock_the_room(room, notifier):
    phone, own_projector = room.phone(), room.staff("projector")
    lead = make_user("lead")
    workshops.share(actor_of(room.owner), room.workshop_id, lead.email, "lead")
    lead_projector = room.staff("projector", user=lead)
    room.quiet()
    before = audit.head(room.workshop_id)
    for client in (phone, own_projector, lead_projector):
        ack = client.emit("room:lock", {"locked": True}, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    notifier.flush()
    assert joining_messages(own_projector) == [] and audit.head(room.workshop_id) == before
    assert join(room.workshop_id).number == 2  # the room still takes new people


@pytest.mark.parametrize("payload", [{"locked": "yes"}, {"locked": 1}, {}, {"locked": True, "x": 1},
                                     None])
def test_a_lock_request_that_is_not_yes_or_no_is_refused(room, payload):
    console = room.staff()
    ack = console.emit("room:lock", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert audit.events_for(room.workshop_id)[0].action != "room.locked"


def test_a_phone_that_joined_before_the_lock_reconnects_after_it(room):
    phone = room.phone()
    http = phone.flask_test_client
    console = room.staff()
    console.emit("room:lock", {"locked": True}, callback=True)
    phone.disconnect()
    again = room.connect(http, "phone")
    assert again.is_connected()
    assert again.emit("sync", {}, callback=True)["ok"] is True


def test_consoles_see_joins_in_the_last_minute_and_a_warning_past_the_expected_size(room, notifier):
    workshops.set_expected_size(actor_of(room.owner), room.workshop_id, 2)
    console = room.staff()
    state = console.emit("sync", {}, callback=True)["state"]["joining"]
    assert (state["total"], state["expected_size"], state["warnings"]) == (0, 2, [])
    room.quiet()
    for _ in range(3):
        join(room.workshop_id)
    notifier.flush()
    latest = joining_messages(console)[-1]
    assert (latest["total"], latest["last_minute"], latest["locked"]) == (3, 3, False)
    assert latest["warnings"] == ["over_expected"]
    assert sum(count for _, count in latest["recent"]) == 3
