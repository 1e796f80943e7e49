"""A thousand phones join in seconds: what one join costs, and the room state phones share.

The room's shared phone state and its groups are built once per change of the room
(services/fast_path.room_cached); these tests hold what that must never cost a person: a change
that does not show at once, or one workshop's state shown to another's phones.
"""

from datetime import date

from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import cards, participants, workshops
from coprod.services.workshops import WorkshopDetails

from ..conftest import csrf_token
from ..factories import actor_of, group_id, make_workshop, set_phase
from .conftest import Room


def test_a_join_sends_at_most_ten_statements_however_many_joined_before(databases):
    from bench.join_path import measure

    # Twelve phones: ids and numbers cross from 9 to 10, and the room grows as they join.
    stages = measure(databases.fresh(), phones=12)["stages"]

    assert stages["whole join"]["statements"] <= 10
    assert stages["consent page"]["statements"] == 1  # the one lookup of the join code
    assert stages["connect"]["statements"] == 1
    # The first phone builds the room's shared state; every other one only reads its own part.
    assert stages["first sync"]["statements"] <= 2 < stages["first sync"]["most_statements"]


def consent_page(room: Room, code: str | None = None) -> str:
    return room.http().get(f"/j/{code or room.code}").get_data(as_text=True)


def first_state(phone) -> dict:
    reply = phone.emit("sync", {}, callback=True)
    assert reply["ok"], reply
    return reply["state"]


def test_a_renamed_group_shows_at_once_on_the_join_page(room):
    assert "Carer</span>" in consent_page(room)  # the groups are now kept for this room

    workshops.update_constituencies(actor_of(room.owner), room.workshop_id,
                                    "Service user or patient\nFamily carer\nStaff")

    page = consent_page(room)
    assert "Family carer</span>" in page and "Carer</span>" not in page
    http = room.http()
    http.post(f"/j/{room.code}", data={"csrf_token": csrf_token(http, f"/j/{room.code}"),
                                       "consent": "y",
                                       "constituency": group_id(room.workshop_id, "Family carer")})
    assert first_state(room.connect(http, "phone"))["me"]["constituency"] == "Family carer"


def test_a_new_idea_and_a_new_title_reach_the_next_phone_at_once(room):
    author = participants.actor_for(participants.join(
        room.code, group_id(room.workshop_id, "Staff"), None, True))
    cards.add_card(author, room.workshop_id, "responsibility", "Meets people at the door")
    assert [card["text"] for card in first_state(room.phone())["cards"]] == [
        "Meets people at the door"]  # the room's state is now kept for this change

    cards.add_card(author, room.workshop_id, "competence", "Knows the local services")
    workshops.update_details(actor_of(room.owner), room.workshop_id, WorkshopDetails(
        "Navigator roles", date(2027, 3, 14), "Carmarthen"))

    state = first_state(room.phone())
    assert [card["text"] for card in state["cards"]] == ["Meets people at the door",
                                                         "Knows the local services"]
    assert state["workshop"]["title"] == "Navigator roles"
    assert state["seq"] == db.session.get(Workshop, room.workshop_id).broadcast_seq


def test_a_phone_sees_its_own_waiting_idea_and_only_the_rooms_shared_ones(room):
    workshops.set_approve_first(actor_of(room.owner), room.workshop_id, True)
    first, second = room.phone(), room.phone()
    added = first.emit("card:add", {"kind": "responsibility", "cid": "cid-0000000001",
                                    "text": "Keeps in touch after discharge"}, callback=True)
    assert added["ok"], added

    mine, theirs = first_state(first)["cards"], first_state(second)["cards"]

    assert [(card["text"], card.get("mine")) for card in mine] == [
        ("Keeps in touch after discharge", True)]  # waiting for approval: only its author sees it
    assert theirs == []


def test_one_workshops_phone_state_is_never_shown_to_another(room, app):
    other_id = make_workshop(room.owner, title="Another workshop", groups="Volunteer\nStaff")
    set_phase(room.owner, other_id, "contribute")
    other = Room.__new__(Room)
    other.app, other.clients, other.owner = app, room.clients, room.owner
    other.workshop_id, other.code = other_id, db.session.get(Workshop, other_id).join_code
    author = participants.actor_for(participants.join(
        room.code, group_id(room.workshop_id, "Staff"), None, True))
    cards.add_card(author, room.workshop_id, "responsibility", "Only in the first workshop")
    assert first_state(room.phone())["cards"]  # the first room's state is kept

    state = first_state(other.phone(group="Volunteer"))

    assert state["cards"] == [] and state["workshop"]["title"] == "Another workshop"
    page = consent_page(other)
    assert "Volunteer</span>" in page and "Carer</span>" not in page
