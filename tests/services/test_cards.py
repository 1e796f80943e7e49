"""Cards from phones: added once, in the right phase, edited with history, hidden with a reason."""

import pytest

from coprod.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coprod.extensions import db
from coprod.models import Card, CardRevision, Workshop
from coprod.services import audit, cards, participants
from coprod.services.events import Audience, Event

from ..factories import actor_of, join, make_user, make_workshop, set_phase


@pytest.fixture
def room(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    set_phase(owner, workshop_id, "contribute")
    person = join(workshop_id, "Carer")
    return owner, workshop_id, person


def add(workshop_id, person, text="Helps people find local support", kind="responsibility",
        role_id=None, cid=None):
    return cards.add_card(participants.actor_for(person), workshop_id, kind, text, role_id,
                          client_id=cid)


def test_a_participant_adds_a_card_that_reaches_everyone(app, room):
    _, workshop_id, person = room
    published = []
    app.extensions["coprod.publisher"] = published.extend
    result = add(workshop_id, person)
    assert result["card"]["text"] == "Helps people find local support"
    assert result["card"]["state"] == "visible"
    room_events = [e for e in published if isinstance(e, Event) and e.audience == Audience.EVERYONE]
    assert [e.name for e in room_events] == ["card.added"]
    assert "author" not in room_events[0].payload  # the room judges ideas, not people
    staff = [e for e in published if isinstance(e, Event) and e.audience == Audience.STAFF]
    assert staff[0].payload["constituency"] == "Carer"
    event = audit.events_for(workshop_id)[0]
    assert event.action == "card.added" and event.actor["constituency"] == "Carer"


def test_a_card_for_a_role_keeps_its_role(app, room):
    _, workshop_id, person = room
    navigator = db.session.get(Workshop, workshop_id).roles[0]
    card = add(workshop_id, person, role_id=navigator.id)["card"]
    assert card["role_id"] == navigator.id


def test_the_same_client_id_adds_one_card(app, room):
    _, workshop_id, person = room
    first = add(workshop_id, person, cid="phone-action-0001")
    again = add(workshop_id, person, cid="phone-action-0001")
    assert again["repeat"] is True and again["card"]["id"] == first["card"]["id"]
    assert db.session.query(Card).count() == 1


def test_bad_input_changes_nothing(app, room):
    _, workshop_id, person = room
    with pytest.raises(InvalidInput):
        add(workshop_id, person, text="")
    with pytest.raises(InvalidInput):
        add(workshop_id, person, text="x" * 281)
    with pytest.raises(InvalidInput):
        add(workshop_id, person, kind="wish")
    with pytest.raises(InvalidInput):
        add(workshop_id, person, cid="no spaces allowed!")
    assert db.session.query(Card).count() == 0
    assert [e.action for e in audit.events_for(workshop_id)][0] == "participant.joined"


def test_cards_wait_for_the_contribute_phase(app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    person = join(workshop_id)
    with pytest.raises(Conflict) as raised:
        add(workshop_id, person)
    assert "not adding ideas just now" in raised.value.message


def test_a_role_from_another_workshop_is_refused(app, room):
    owner, workshop_id, person = room
    other = make_workshop(owner)
    foreign_role = db.session.get(Workshop, other).roles[0]
    with pytest.raises(NotFound):
        add(workshop_id, person, role_id=foreign_role.id)


def test_editing_keeps_every_earlier_wording(app, room):
    owner, workshop_id, person = room
    card_id = add(workshop_id, person, text="helps ppl find support")["card"]["id"]
    cards.edit_card(actor_of(owner), workshop_id, card_id, "Helps people find local support")
    card = db.session.get(Card, card_id)
    assert card.text == "Helps people find local support" and card.version == 2
    assert [r.text for r in db.session.query(CardRevision).filter_by(card_id=card_id)
            .order_by(CardRevision.version)] == ["helps ppl find support",
                                                 "Helps people find local support"]
    edited = audit.events_for(workshop_id)[0]
    assert edited.payload["before"] == "helps ppl find support"


def test_hiding_needs_a_reason_and_tells_the_author(app, room):
    owner, workshop_id, person = room
    card_id = add(workshop_id, person)["card"]["id"]
    with pytest.raises(InvalidInput):
        cards.hide_card(actor_of(owner), workshop_id, card_id, " ")
    published = []
    app.extensions["coprod.publisher"] = published.extend
    cards.hide_card(actor_of(owner), workshop_id, card_id, "Names a member of staff")
    assert db.session.get(Card, card_id).state == "hidden"
    names = {(e.name, e.audience) for e in published if isinstance(e, Event)}
    assert ("card.removed", Audience.EVERYONE) in names
    assert ("card.mine", Audience.participant(person.id)) in names
    cards.show_card(actor_of(owner), workshop_id, card_id)
    assert db.session.get(Card, card_id).state == "visible"


def test_participants_cannot_moderate(app, room):
    _, workshop_id, person = room
    card_id = add(workshop_id, person)["card"]["id"]
    with pytest.raises(Forbidden):
        cards.hide_card(participants.actor_for(person), workshop_id, card_id, "Mine to hide")
    with pytest.raises(Forbidden):
        cards.edit_card(participants.actor_for(person), workshop_id, card_id, "Changed")
    assert db.session.get(Card, card_id).state == "visible"


def test_one_workshops_staff_cannot_touch_anothers_cards(app, room):
    _, workshop_id, person = room
    stranger = make_user()
    card_id = add(workshop_id, person)["card"]["id"]
    with pytest.raises(NotFound):
        cards.hide_card(actor_of(stranger), workshop_id, card_id, "Not mine")
    their_workshop = make_workshop(stranger)
    with pytest.raises(NotFound):  # a card id from another workshop, through one's own workshop
        cards.hide_card(actor_of(stranger), their_workshop, card_id, "Not mine")
    assert db.session.get(Card, card_id).state == "visible"


def test_a_participant_of_one_workshop_cannot_add_to_another(app, room):
    owner, workshop_id, person = room
    other = make_workshop(owner)
    set_phase(owner, other, "contribute")
    with pytest.raises(NotFound):
        add(other, person)
