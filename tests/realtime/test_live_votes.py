"""Voting over Socket.IO: acks after commit, repeated ids, hidden tallies, reveals, resync."""

from coprod.extensions import db
from coprod.models import Vote
from coprod.services import workshops
from coprod.services.unit import head_seq

from ..factories import actor_of, set_phase
from .conftest import inbox, pick, received
from .test_live_cards import add


def open_vote(room, console, phone, mode="dots", **options):
    card_id = add(phone)["card"]["id"]
    set_phase(room.owner, room.workshop_id, "review", "vote")
    reply = console.emit("round:open", {"mode": mode, **options}, callback=True)
    assert reply["ok"], reply
    return reply["round"]["id"], card_id


def vote(phone, round_id, card_id, value, cid):
    return phone.emit("vote:set", {"cid": cid, "round_id": round_id, "card_id": card_id,
                                   "value": value}, callback=True)


def test_a_vote_is_acked_with_the_phones_own_state(room):
    console, phone = room.staff(), room.phone()
    round_id, card_id = open_vote(room, console, phone, budget=5, max_per_card=2)
    ack = vote(phone, round_id, card_id, 2, "vote-0000000001")
    assert ack == {"ok": True, "votes": {"round_id": round_id, "votes": {str(card_id): 2},
                                         "remaining": 3}, "audit_seq": head_seq(room.workshop_id)}


def test_a_resent_vote_is_answered_with_the_first_result(room):
    console, phone = room.staff(), room.phone()
    round_id, card_id = open_vote(room, console, phone)
    first = vote(phone, round_id, card_id, 1, "vote-0000000002")
    vote(phone, round_id, card_id, 2, "vote-0000000003")
    again = vote(phone, round_id, card_id, 1, "vote-0000000002")  # a late copy of the first tap
    assert again["repeat"] is True and again["votes"] == first["votes"]
    assert db.session.query(Vote).one().value == 2  # the late copy did not undo the second tap


def test_errors_are_acked_and_store_nothing(room):
    console, phone = room.staff(), room.phone()
    round_id, card_id = open_vote(room, console, phone, budget=2, max_per_card=2)
    cases = [
        ({"cid": "vote-bad-00001", "round_id": round_id, "card_id": card_id, "value": 3}, "invalid"),
        ({"cid": "vote-bad-00002", "round_id": round_id, "card_id": 99999, "value": 1}, "not_found"),
        ({"cid": "vote-bad-00003", "round_id": 99999, "card_id": card_id, "value": 1}, "not_found"),
        ({"cid": "vote-bad-00004", "round_id": round_id, "card_id": card_id}, "invalid"),
        ({"round_id": round_id, "card_id": card_id, "value": 1}, "invalid"),
        ({"cid": "vote-bad-00005", "round_id": "1", "card_id": card_id, "value": 1}, "invalid"),
    ]
    for payload, code in cases:
        ack = phone.emit("vote:set", payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == code, (payload, ack)
    assert db.session.query(Vote).count() == 0


def test_a_vote_on_one_tab_shows_on_the_persons_other_tab(room):
    console, phone = room.staff(), room.phone()
    round_id, card_id = open_vote(room, console, phone, budget=5, max_per_card=2)
    room.quiet()
    ack = vote(phone, round_id, card_id, 1, "vote-one-tab-01")
    assert ack["votes"]["remaining"] == 4
    assert [e for e in received(phone) if e["name"] == "votes.mine"] == []  # the ack says it all

    other_tab = room.connect(phone.flask_test_client, "phone")  # same person, same cookie
    room.quiet()
    ack = vote(phone, round_id, card_id, 2, "vote-one-tab-02")
    echoes = [e["data"] for e in received(other_tab) if e["name"] == "votes.mine"]
    assert echoes == [ack["votes"]] and echoes[0]["remaining"] == 3


def test_a_phone_cannot_run_the_vote(room):
    console, phone = room.staff(), room.phone()
    round_id, _ = open_vote(room, console, phone)
    for event in ("round:close", "round:reveal"):
        ack = phone.emit(event, {"round_id": round_id}, callback=True)
        assert ack["error"]["code"] == "forbidden"
    ack = phone.emit("round:open", {"mode": "dots"}, callback=True)
    assert ack["error"]["code"] == "forbidden"


def test_tallies_reach_staff_but_only_progress_reaches_the_wall_until_revealed(room, notifier):
    console, phone, projector = room.staff(), room.phone(), room.staff("projector")
    round_id, card_id = open_vote(room, console, phone)
    room.quiet()
    vote(phone, round_id, card_id, 1, "vote-0000000010")
    notifier.flush(force_phones=True)
    assert received(console, "tally")[0]["cards"][0]["groups"][1]["supporters"] == 1
    on_wall = inbox(projector)
    assert pick(on_wall, "tally") == []
    assert pick(on_wall, "progress")[-1]["voters"] == {"Carer": 1}
    assert [m for m in phone.get_received() if m["name"] in ("tally", "progress")] == []

    console.emit("round:close", {"round_id": round_id}, callback=True)
    console.emit("round:reveal", {"round_id": round_id}, callback=True)
    notifier.flush(force_phones=True)
    revealed = [e for e in received(phone) if e["name"] == "results.revealed"]
    assert revealed and revealed[0]["data"]["results"]["cards"][0]["card_id"] == card_id


def test_a_reveal_reaches_phones_at_once_lighter_than_the_walls_copy(room):
    console, phone, projector = room.staff(), room.phone(), room.staff("projector")
    round_id, card_id = open_vote(room, console, phone)
    vote(phone, round_id, card_id, 1, "vote-0000000011")
    console.emit("round:close", {"round_id": round_id}, callback=True)
    room.quiet()
    console.emit("round:reveal", {"round_id": round_id}, callback=True)
    # No flush: a reveal does not wait for the next batch.
    on_phone = [e["data"]["results"] for e in received(phone) if e["name"] == "results.revealed"]
    on_wall = [e["data"]["results"] for e in received(projector)
               if e["name"] == "results.revealed"]
    assert on_phone and on_wall
    phone_card, wall_card = on_phone[0]["cards"][0], on_wall[0]["cards"][0]
    assert phone_card["card_id"] == wall_card["card_id"] == card_id
    assert phone_card["status"] == wall_card["status"]
    carers = next(group for group in phone_card["groups"] if group["name"] == "Carer")
    assert carers == {"name": "Carer", "share": 100, "counted": False}  # one voter, too few
    assert "dots" not in carers and "dots" in wall_card["groups"][0]  # the wall has every figure


def test_votes_from_many_taps_reach_the_wall_coalesced(room, notifier):
    console, projector = room.staff(), room.staff("projector")
    phones = [room.phone(group) for group in ("Carer", "Staff", "Service user or patient")]
    round_id, card_id = open_vote(room, console, phones[0], hide_until_reveal=False)
    room.quiet()
    for number, phone in enumerate(phones):
        vote(phone, round_id, card_id, 1, f"vote-many-{number:05d}")
    notifier.flush()
    tallies = received(projector, "tally")
    assert len(tallies) == 1  # three votes, one message
    groups = {g["name"]: g["supporters"] for g in tallies[0]["cards"][0]["groups"]}
    assert groups == {"Service user or patient": 1, "Carer": 1, "Staff": 1}


def test_a_reconnecting_phone_gets_its_votes_and_the_round(room, notifier):
    console, phone = room.staff(), room.phone()
    round_id, card_id = open_vote(room, console, phone)
    vote(phone, round_id, card_id, 2, "vote-0000000020")
    phone.disconnect()
    phone.connect(auth={"workshop": room.workshop_id, "view": "phone"})
    state = phone.emit("sync", {"last_seq": 0}, callback=True)["state"]
    assert state["round"]["id"] == round_id and state["round"]["state"] == "open"
    assert state["my_votes"]["votes"] == {str(card_id): 2}
    assert state["results"] is None  # not revealed yet


def test_phones_see_results_recounted_when_the_threshold_changes_after_the_reveal(room, notifier):
    console, phone, other = room.staff(), room.phone("Carer"), room.phone("Carer")
    round_id, card_id = open_vote(room, console, phone, mode="agree")
    vote(phone, round_id, card_id, "agree", "vote-rule-00001")
    vote(other, round_id, card_id, "unsure", "vote-rule-00002")
    notifier.flush(force_phones=True)
    assert received(phone, "results") == []  # no live tallies on phones while voting
    console.emit("round:close", {"round_id": round_id}, callback=True)
    console.emit("round:reveal", {"round_id": round_id}, callback=True)
    notifier.flush(force_phones=True)
    revealed = [e["data"] for e in received(phone) if e["name"] == "results.revealed"]
    assert revealed[0]["results"]["cards"][0]["status"] == "open"  # carers 50 %, below 60 %

    workshops.update_consensus(actor_of(room.owner), room.workshop_id, 50, 2, 30)
    notifier.flush(force_phones=True)
    recounted = received(phone, "results")
    assert [r["results"]["cards"][0]["status"] for r in recounted] == ["agreed"]
    assert recounted[0]["results"]["rule"]["threshold"] == 50
