"""Merging duplicate cards keeps authorship and votes, within everyone's limits, and undoes."""

import pytest

from coprod.domain.errors import Conflict
from coprod.extensions import db
from coprod.models import Ballot, Card, Vote
from coprod.services import audit, cards, merges, voting

from .test_voting import Room


@pytest.fixture
def room(app):
    return Room()


def votes_on(card_id):
    return {v.participant_id: v.value for v in db.session.query(Vote).filter_by(card_id=card_id)}


def used(room, who):
    return db.session.query(Ballot).filter_by(participant_id=room.people[who].id).one().used


def test_a_merge_moves_votes_within_the_card_limit_and_gives_excess_back(room):
    helps, knows, _ = room.cards
    round_id = room.open(budget=5, max_per_card=2)
    room.vote("ann", round_id, helps, 2)
    room.vote("ann", round_id, knows, 2)
    room.vote("cai", round_id, knows, 1)
    voting.close_round(room.boss, room.workshop_id, round_id)
    result = merges.merge_cards(room.boss, room.workshop_id, knows, helps)
    ann, cai = room.people["ann"].id, room.people["cai"].id
    assert votes_on(helps) == {ann: 2, cai: 1} and votes_on(knows) == {}
    assert used(room, "ann") == 2 and used(room, "cai") == 1  # 2 of ann's dots given back
    source = db.session.get(Card, knows)
    assert (source.state, source.merged_into_id) == ("merged", helps)
    assert result["target"]["merged_from"][0]["card_id"] == knows
    assert [c.id for c in cards.proposers(db.session.get(Card, helps))] == [helps, knows]

    merges.undo_merge(room.boss, room.workshop_id, result["merge_id"])
    assert votes_on(helps) == {ann: 2} and votes_on(knows) == {ann: 2, cai: 1}
    assert used(room, "ann") == 4 and used(room, "cai") == 1
    assert db.session.get(Card, knows).state == "visible"
    actions = [e.action for e in audit.events_for(room.workshop_id)[:2]]
    assert actions == ["card.merge_undone", "card.merged"]
    assert audit.verify(room.workshop_id).ok


def test_no_merging_while_a_vote_is_open(room):
    room.open()
    with pytest.raises(Conflict, match="close the vote before merging"):
        merges.merge_cards(room.boss, room.workshop_id, room.cards[1], room.cards[0])


def test_merges_undo_newest_first(room):
    helps, knows, explains = room.cards
    first = merges.merge_cards(room.boss, room.workshop_id, knows, helps)["merge_id"]
    merges.merge_cards(room.boss, room.workshop_id, helps, explains)
    with pytest.raises(Conflict, match="undo the later merge first"):
        merges.undo_merge(room.boss, room.workshop_id, first)


def test_a_card_cannot_merge_into_itself_or_a_merged_card(room):
    helps, knows, explains = room.cards
    with pytest.raises(Conflict):
        merges.merge_cards(room.boss, room.workshop_id, helps, helps)
    merges.merge_cards(room.boss, room.workshop_id, knows, helps)
    with pytest.raises(Conflict, match="merged already"):
        merges.merge_cards(room.boss, room.workshop_id, explains, knows)
