"""Two phones vote on one card at the same time and keep resending the same ids: exact counts."""

import threading

import pytest

from coprod.extensions import db
from coprod.models import Ballot, Card, Vote
from coprod.services import cards, participants, voting

from ..support.clients import join, live_socket, sign_in

pytestmark = pytest.mark.live


def test_concurrent_votes_with_retries_are_counted_exactly(scene):
    scene.phases("contribute")
    author = participants.join(scene.code, scene.group("Staff"), None, True)
    card_id = cards.add_card(participants.actor_for(author), scene.workshop_id, "responsibility",
                             "Helps people find local support")["card"]["id"]
    scene.phases("review", "vote")
    round_id = voting.open_round(scene.boss, scene.workshop_id, "dots", 5, 2)["round"]["id"]

    base = scene.server.url
    people = [join(base, scene.code, scene.group(group)) for group in ("Carer", "Staff")]
    # Each person has two tabs open; both tabs send the same actions, several times over.
    tabs = [live_socket(base, person, scene.workshop_id, "phone") for person in people
            for _ in range(2)]
    acks, errors = [], []

    def tap(tab, person_index):
        for _attempt in range(5):
            for value, cid in ((1, f"p{person_index}-first-dot"), (2, f"p{person_index}-second-dot")):
                try:
                    acks.append(tab.call("vote:set", {"cid": cid, "round_id": round_id,
                                                      "card_id": card_id, "value": value},
                                         timeout=30))
                except Exception as error:  # a lost answer is retried by the next attempt
                    errors.append(error)

    threads = [threading.Thread(target=tap, args=(tab, index // 2))
               for index, tab in enumerate(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for tab in tabs:
        tab.disconnect()

    assert errors == [] and all(ack["ok"] for ack in acks)
    db.session.rollback()
    stored = db.session.query(Vote).filter_by(round_id=round_id).all()
    assert sorted(vote.value for vote in stored) == [2, 2]  # one vote each, 2 dots each
    assert sorted(b.used for b in db.session.query(Ballot).filter_by(round_id=round_id)) == [2, 2]
    assert db.session.get(Card, card_id).state == "visible"

    # The tally the facilitator sees counts exactly the stored votes.
    console = live_socket(base, sign_in(base, scene.owner.email, "a long enough password"),
                          scene.workshop_id, "console")
    state = console.call("sync", {}, timeout=30)["state"]
    console.disconnect()
    groups = {g["name"]: (g["supporters"], g["dots"]) for g in state["results"]["cards"][0]["groups"]}
    assert groups == {"Service user or patient": (0, 0), "Carer": (1, 2), "Staff": (1, 2)}
