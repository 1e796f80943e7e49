"""Reconnecting: a client says the last sequence number it saw and gets what it missed."""

from coprod.services import workshops

from ..factories import actor_of
from .conftest import received
from .test_live_cards import add
from .test_live_votes import open_vote, vote


def test_the_first_sync_sends_the_whole_state(room):
    phone = room.phone()
    add(phone)
    reply = phone.emit("sync", {}, callback=True)
    state = reply["state"]
    assert state["workshop"]["phase"] == "contribute"
    assert [c["text"] for c in state["cards"]] == ["Helps people find local support"]
    assert state["me"]["constituency"] == "Carer"
    assert [r["title"] for r in state["roles"]][0] == "Navigator"


def test_a_phone_that_missed_nothing_gets_a_short_answer(room):
    phone = room.phone()
    card = add(phone)["card"]
    seq = phone.emit("sync", {}, callback=True)["state"]["seq"]
    reply = phone.emit("sync", {"last_seq": seq}, callback=True)
    assert reply == {"ok": True, "seq": seq, "up_to_date": True,
                     "mine": {"cards": [card], "my_votes": None}}  # only the person's own state


def test_a_reconnecting_phone_sees_votes_made_on_its_other_tab_while_it_was_away(room, notifier):
    console, tab_a = room.staff(), room.phone()
    round_id, card_id = open_vote(room, console, tab_a, budget=5, max_per_card=2)
    seq = tab_a.emit("sync", {}, callback=True)["state"]["seq"]
    tab_a.disconnect()
    tab_b = room.connect(tab_a.flask_test_client, "phone")  # the same person, another tab
    vote(tab_b, round_id, card_id, 2, "vote-tab-b-0001")
    notifier.flush(force_phones=True)

    tab_a.connect(auth={"workshop": room.workshop_id, "view": "phone"})
    reply = tab_a.emit("sync", {"last_seq": seq}, callback=True)
    assert reply["up_to_date"] is True  # no room event was missed: votes are personal
    assert reply["mine"]["my_votes"] == {"round_id": round_id, "votes": {str(card_id): 2},
                                         "remaining": 3}


def test_a_reconnecting_phone_hears_its_waiting_idea_was_set_aside(room, notifier):
    workshops.set_approve_first(actor_of(room.owner), room.workshop_id, True)
    console, phone = room.staff(), room.phone()
    card_id = add(phone)["card"]["id"]  # waits for the facilitator: nobody else sees it
    seq = phone.emit("sync", {}, callback=True)["state"]["seq"]
    phone.disconnect()
    console.emit("card:hide", {"card_id": card_id, "reason": "Please say more"}, callback=True)
    notifier.flush(force_phones=True)

    phone.connect(auth={"workshop": room.workshop_id, "view": "phone"})
    reply = phone.emit("sync", {"last_seq": seq}, callback=True)
    assert reply["up_to_date"] is True
    assert [(c["id"], c["state"], c["hidden_reason"]) for c in reply["mine"]["cards"]] == [
        (card_id, "hidden", "Please say more")]


def test_a_phone_that_missed_events_gets_a_fresh_state(room, notifier):
    phone, other = room.phone(), room.phone("Staff")
    seq = phone.emit("sync", {}, callback=True)["state"]["seq"]
    phone.disconnect()
    add(other, text="Knows local support groups", cid="cid-other-00001")
    notifier.flush(force_phones=True)
    phone.connect(auth={"workshop": room.workshop_id, "view": "phone"})
    reply = phone.emit("sync", {"last_seq": seq}, callback=True)
    assert reply["state"]["seq"] == seq + 1
    assert "Knows local support groups" in [c["text"] for c in reply["state"]["cards"]]


def test_every_room_event_carries_the_next_sequence_number(room, notifier):
    projector, phone = room.staff("projector"), room.phone()
    room.quiet()
    for number in range(3):
        add(phone, text=f"Idea {number}", cid=f"cid-seq-{number:08d}")
    notifier.flush()
    seqs = [e["seq"] for e in received(projector)]
    assert len(seqs) == 3 and seqs == list(range(seqs[0], seqs[0] + 3))


def test_the_console_gets_authors_and_people(room):
    console, phone = room.staff(), room.phone()
    add(phone)
    state = console.emit("sync", {}, callback=True)["state"]
    assert state["cards"][0]["author"] == "Participant 1"
    assert [p["constituency"] for p in state["participants"]] == ["Carer"]
