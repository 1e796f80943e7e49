"""The facilitator runs the room from the console: phases, countdowns, merges and approvals
reach the right screens, and phones cannot do any of it."""

from datetime import datetime

from coprod.extensions import db
from coprod.models import Card
from coprod.services import workshops

from ..factories import actor_of
from .conftest import received
from .test_live_cards import add

FORBIDDEN = {"code": "forbidden", "message": "Only the facilitator can do that."}


def events_named(client, name: str) -> list[dict]:
    return [event["data"] for event in received(client) if event["name"] == name]


def test_a_phase_change_reaches_phones_and_the_projector_straight_away(room, notifier):
    console, phone, projector = room.staff(), room.phone(), room.staff("projector")
    room.quiet()
    ack = console.emit("phase:set", {"phase": "review"}, callback=True)
    assert ack["ok"] and ack["workshop"]["phase"] == "review"
    notifier.flush()  # not forced: a phase change does not wait for the phones' batch
    on_phone = events_named(phone, "phase.changed")
    # The phase as a key: each phone says it in its own language (coprod/web/words/live.py).
    assert [changed["workshop"]["phase"] for changed in on_phone] == ["review"]
    assert [c["workshop"]["phase"] for c in events_named(projector, "phase.changed")] == ["review"]


def test_a_countdown_set_on_the_console_reaches_phones_and_the_wall(room, notifier):
    console, phone, projector = room.staff(), room.phone(), room.staff("projector")
    room.quiet()
    assert phone.emit("countdown:set", {"minutes": 5}, callback=True) == {
        "ok": False, "error": FORBIDDEN}
    ack = console.emit("countdown:set", {"minutes": 5}, callback=True)
    assert ack["ok"]
    notifier.flush()
    for screen in (phone, projector):
        [countdown] = events_named(screen, "countdown.set")
        left = (datetime.fromisoformat(countdown["ends_at"]) -
                datetime.fromisoformat(countdown["server_now"])).total_seconds()
        assert 299 <= left <= 300  # five minutes from the server's now
    console.emit("countdown:set", {"minutes": 0}, callback=True)
    notifier.flush()
    assert [c["ends_at"] for c in events_named(phone, "countdown.set")] == [None]  # stopped


def test_merging_and_undoing_from_the_console_and_never_from_a_phone(room, notifier):
    console, phone, projector = room.staff(), room.phone(), room.staff("projector")
    target = add(phone)["card"]["id"]
    source = add(phone, text="Finds local support for people", cid="cid-0000000002")["card"]["id"]
    room.quiet()
    assert phone.emit("card:merge", {"source_id": source, "target_id": target},
                      callback=True) == {"ok": False, "error": FORBIDDEN}

    merged = console.emit("card:merge", {"source_id": source, "target_id": target}, callback=True)
    assert merged["ok"] and merged["target"]["id"] == target
    assert [item["card_id"] for item in merged["target"]["merged_from"]] == [source]
    notifier.flush(force_phones=True)
    for screen in (phone, projector):
        assert events_named(screen, "card.removed") == [{"id": source, "merged_into": target}]

    assert phone.emit("merge:undo", {"merge_id": merged["merge_id"]},
                      callback=True) == {"ok": False, "error": FORBIDDEN}
    assert db.session.get(Card, source).state == "merged"  # the phone's undo changed nothing
    undone = console.emit("merge:undo", {"merge_id": merged["merge_id"]}, callback=True)
    assert undone["ok"] and undone["source"]["state"] == "visible"
    assert undone["target"]["merged_from"] == []
    notifier.flush(force_phones=True)
    back = events_named(projector, "card.added")
    assert [(card["id"], card["text"]) for card in back] == [
        (source, "Finds local support for people")]


def test_a_waiting_idea_stays_off_the_wall_until_the_facilitator_approves_it(room, notifier):
    workshops.set_approve_first(actor_of(room.owner), room.workshop_id, True)
    console, phone, projector = room.staff(), room.phone(), room.staff("projector")
    room.quiet()
    card = add(phone)["card"]
    assert card["state"] == "pending"
    notifier.flush(force_phones=True)
    assert received(projector) == []  # nothing on the wall
    assert [c["state"] for c in events_named(console, "card.staff")] == ["pending"]
    wall = projector.emit("sync", {}, callback=True)["state"]
    assert wall["cards"] == []

    assert console.emit("card:show", {"card_id": card["id"]}, callback=True)["ok"]
    notifier.flush(force_phones=True)
    assert [(c["id"], c["state"]) for c in events_named(projector, "card.added")] == [
        (card["id"], "visible")]
