"""One transaction boundary: a change cannot open inside another and lose it."""

import pytest

from coprod.domain.actors import Actor
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import audit, cards, participants, voting
from coprod.services.unit import NestedUnitOfWork, unit_of_work

from ..factories import actor_of, join, make_user, make_workshop, set_phase


@pytest.fixture
def room(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    return owner, workshop_id, join(workshop_id, "Carer")


def test_a_change_inside_a_change_is_refused_and_the_outer_change_still_commits(room):
    owner, workshop_id, person = room
    head_before = audit.head(workshop_id)[0]
    with unit_of_work(actor_of(owner)) as unit:
        db.session.get(Workshop, workshop_id).venue = "Llanelli"
        unit.audit("workshop.details_changed", {"venue": ["Carmarthen", "Llanelli"]},
                   workshop_id=workshop_id)
        with pytest.raises(NestedUnitOfWork):
            cards.add_card(participants.actor_for(person), workshop_id, "competence",
                           "Knows the local carers' groups")
        with pytest.raises(NestedUnitOfWork):
            with unit_of_work(Actor.system()):
                pass
    db.session.rollback()
    assert db.session.get(Workshop, workshop_id).venue == "Llanelli"
    events = audit.events_for(workshop_id)
    assert [event.action for event in events[:1]] == ["workshop.details_changed"]
    assert audit.head(workshop_id)[0] == head_before + 1 and audit.verify(workshop_id).ok
    assert cards.cards_of(workshop_id) == []


def test_a_vote_cannot_be_cast_from_inside_another_change(room):
    owner, workshop_id, person = room
    card = cards.add_card(participants.actor_for(person), workshop_id, "responsibility",
                          "Helps people find support")["card"]["id"]
    set_phase(owner, workshop_id, "review", "vote")
    round_id = voting.open_round(actor_of(owner), workshop_id, "agree")["round"]["id"]
    with unit_of_work(actor_of(owner)):
        with pytest.raises(NestedUnitOfWork):
            voting.cast_vote(participants.actor_for(person), workshop_id, round_id, card, "agree")
    # The refused vote left nothing half done: the same vote goes through afterwards.
    result = voting.cast_vote(participants.actor_for(person), workshop_id, round_id, card, "agree")
    assert result["votes"]["votes"] == {str(card): "agree"}


def test_after_a_refused_change_the_next_one_opens_normally(room):
    owner, workshop_id, _ = room
    with pytest.raises(RuntimeError, match="already open"):
        with unit_of_work(actor_of(owner)):
            with unit_of_work(actor_of(owner)):
                pass
    with unit_of_work(actor_of(owner)) as unit:
        unit.audit("countdown.set", {"minutes": 5, "phase": "contribute"},
                   workshop_id=workshop_id)
    assert audit.events_for(workshop_id)[0].action == "countdown.set"
