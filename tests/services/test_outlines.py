"""Building role outlines from cards: versions, stale saves, sign-off freezing, the matrix."""

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from coprod.domain.errors import Conflict, Forbidden, NotFound
from coprod.extensions import db
from coprod.models import OutlineVersion, Workshop
from coprod.services import audit, cards, matrix, outlines, participants, voting, workshops

from ..factories import actor_of, group_id, make_user, make_workshop, set_phase
from .test_voting import Room


class BuildRoom(Room):
    """The voting room after one agree-vote: card 0 agreed, card 1 divisive, card 2 open.

    With `helped`, a Carer takes part on paper: a helper enters their idea (`paper_card`) and
    their agreeing vote on card 0.
    """

    def __init__(self, helped=False):
        super().__init__()
        if helped:
            self._add_paper_carer()
        round_id = self.open("agree")
        helps, knows, explains = self.cards
        for who in self.people:
            self.vote(who, round_id, helps, "agree")
        if helped:
            voting.cast_vote(self.helper, self.workshop_id, round_id, helps, "agree")
        for who, answer in (("ann", "agree"), ("bea", "agree"), ("cai", "agree"),
                            ("dee", "agree"), ("eve", "disagree"), ("fay", "disagree"),
                            ("gus", "unsure")):
            self.vote(who, round_id, knows, answer)
        voting.close_round(self.boss, self.workshop_id, round_id)
        voting.reveal(self.boss, self.workshop_id, round_id)
        self.roles = {role.title: role.id for role in db.session.get(Workshop, self.workshop_id).roles}

    def _add_paper_carer(self):
        set_phase(self.owner, self.workshop_id, "review", "contribute")
        helper = make_user("helper")
        workshops.share(self.boss, self.workshop_id, helper.email, "helper")
        paper = participants.add_on_paper(actor_of(helper), self.workshop_id,
                                          group_id(self.workshop_id, "Carer"), "Mr J")
        self.helper = participants.helper_actor(actor_of(helper), self.workshop_id, paper.id)
        self.paper_card = cards.add_card(self.helper, self.workshop_id, "competence",
                                         "Speaks up for carers")["card"]["id"]
        set_phase(self.owner, self.workshop_id, "review", "vote")

    def start(self, title="Navigator"):
        return outlines.ensure_outline(self.boss, self.workshop_id, self.roles[title])

    def change(self, title, base, **operation):
        return outlines.change(self.boss, self.workshop_id, self.roles[title], base, operation)


@pytest.fixture
def room(app):
    return BuildRoom()


def test_an_outline_starts_from_its_template(room):
    first = room.start()
    assert first["number"] == 1 and first["status"] == "draft"
    assert first["content"]["band"] == "4" and first["content"]["title"] == "Navigator"
    assert room.start()["number"] == 1  # opening again does not make another version
    assert audit.events_for(room.workshop_id)[0].action == "outline.created"


def test_every_change_is_a_new_version_on_the_audit_trail(room):
    room.start()
    second = room.change("Navigator", 1, kind="add_card", section="responsibilities",
                         card_id=room.cards[0])
    third = room.change("Navigator", 2, kind="add_text", section="responsibilities",
                        text="Follows up within two working days")
    item = third["content"]["responsibilities"][0]
    fourth = room.change("Navigator", 3, kind="update_item", section="responsibilities",
                         item_id=item["id"], changes={"text": "Helps people find local support"})
    assert [second["number"], third["number"], fourth["number"]] == [2, 3, 4]
    reworded = fourth["content"]["responsibilities"][0]
    assert reworded["card_ids"] == [room.cards[0]] and reworded["original_text"] == \
        "Helps people find support"
    assert [v["number"] for v in outlines.history(room.roles["Navigator"])] == [4, 3, 2, 1]
    actions = [e.action for e in audit.events_for(room.workshop_id)[:3]]
    assert actions == ["outline.changed"] * 3


def test_a_change_based_on_an_old_version_is_refused(room):
    room.start()
    room.change("Navigator", 1, kind="add_text", section="values", text="Kind")
    with pytest.raises(Conflict, match="Someone else changed this outline"):
        room.change("Navigator", 1, kind="add_text", section="values", text="Patient")
    assert outlines.latest_version(room.roles["Navigator"]).number == 2


def test_hidden_or_foreign_cards_cannot_be_adopted(room):
    room.start()
    cards.hide_card(room.boss, room.workshop_id, room.cards[2], "Off topic")
    with pytest.raises(Conflict, match="on the screen"):
        room.change("Navigator", 1, kind="add_card", section="responsibilities",
                    card_id=room.cards[2])
    other = make_workshop(room.owner)
    with pytest.raises(NotFound):  # a role of another workshop, through this workshop
        outlines.ensure_outline(room.boss, room.workshop_id,
                                db.session.get(Workshop, other).roles[0].id)


def test_signing_off_freezes_the_version_and_later_edits_need_a_new_draft(room):
    room.start()
    room.change("Navigator", 1, kind="add_card", section="responsibilities",
                card_id=room.cards[0])
    agreed = outlines.sign_off(room.boss, room.workshop_id, room.roles["Navigator"], 2,
                               "Agreed by the room after lunch")
    assert agreed["status"] == "agreed" and agreed["agreed_by"] == room.owner.display_name
    with pytest.raises(Conflict, match="agreed and is now frozen"):
        room.change("Navigator", 2, kind="add_text", section="values", text="Kind")
    with pytest.raises(Conflict, match="already agreed"):
        outlines.sign_off(room.boss, room.workshop_id, room.roles["Navigator"], 2)
    draft = outlines.start_draft(room.boss, room.workshop_id, room.roles["Navigator"], 2)
    assert (draft["number"], draft["status"]) == (3, "draft")
    room.change("Navigator", 3, kind="add_text", section="values", text="Kind")
    frozen = outlines.version_of(room.roles["Navigator"], 2)
    assert frozen.status == "agreed" and "Kind" not in frozen.content
    assert audit.events_for(room.workshop_id, newest_first=False)[-3].action == "outline.signed_off"


def test_the_database_refuses_to_change_a_saved_or_agreed_version(room):
    room.start()
    room.change("Navigator", 1, kind="add_card", section="responsibilities",
                card_id=room.cards[0])
    with pytest.raises(DatabaseError, match="cannot be changed"):
        db.session.execute(text("UPDATE outline_version SET content = '{}' WHERE number = 1"))
    db.session.rollback()
    outlines.sign_off(room.boss, room.workshop_id, room.roles["Navigator"], 2)
    with pytest.raises(DatabaseError, match="cannot be changed"):
        db.session.execute(text("UPDATE outline_version SET status = 'draft' WHERE number = 2"))
    db.session.rollback()
    with pytest.raises(DatabaseError, match="cannot be changed"):
        db.session.execute(text("DELETE FROM outline_version"))
    db.session.rollback()
    assert db.session.query(OutlineVersion).count() == 2


def test_only_the_newest_version_with_a_responsibility_can_be_signed_off(room):
    # The builder is told what sign-off needs before anyone tries, in the same words it refuses.
    assert room.start()["sign_off_needs"] == ["responsibility"]
    with pytest.raises(Conflict, match="at least one responsibility"):
        outlines.sign_off(room.boss, room.workshop_id, room.roles["Navigator"], 1)
    ready = room.change("Navigator", 1, kind="add_card", section="responsibilities",
                        card_id=room.cards[0])
    assert ready["sign_off_needs"] == []
    with pytest.raises(Conflict, match="Only the newest version"):
        outlines.sign_off(room.boss, room.workshop_id, room.roles["Navigator"], 1)


def test_any_two_versions_compare(room):
    room.start()
    room.change("Navigator", 1, kind="add_card", section="responsibilities", card_id=room.cards[0])
    room.change("Navigator", 2, kind="update_fields", changes={"band": "5"})
    changes = outlines.compare(room.workshop_id, room.roles["Navigator"], 1, 3)
    assert [i["text"] for i in changes["sections"]["responsibilities"]["added"]] == [
        "Helps people find support"]
    assert changes["fields"][0]["before"] == "4" and changes["fields"][0]["after"] == "5"


def test_compare_names_removed_and_reworded_lines(room):
    room.start()
    room.change("Navigator", 1, kind="add_card", section="responsibilities", card_id=room.cards[0])
    third = room.change("Navigator", 2, kind="add_text", section="responsibilities",
                        text="Follows up within two working days")
    helps, follows = third["content"]["responsibilities"]
    room.change("Navigator", 3, kind="remove", section="responsibilities", item_id=follows["id"])
    room.change("Navigator", 4, kind="update_item", section="responsibilities",
                item_id=helps["id"], changes={"text": "Helps people find local support"})
    changes = outlines.compare(room.workshop_id, room.roles["Navigator"], 3, 5)
    part = changes["sections"]["responsibilities"]
    assert [i["text"] for i in part["removed"]] == ["Follows up within two working days"]
    assert [(i["before"], i["after"]) for i in part["reworded"]] == [
        ("Helps people find support", "Helps people find local support")]
    assert part["added"] == [] and changes["fields"] == [] and changes["unchanged"] is False
    back = outlines.compare(room.workshop_id, room.roles["Navigator"], 5, 3)["sections"]
    assert [i["text"] for i in back["responsibilities"]["added"]] == [
        "Follows up within two working days"]


def test_a_lead_reads_but_cannot_build(room):
    lead = make_user("lead")
    workshops.share(room.boss, room.workshop_id, lead.email, "lead")
    room.start()
    with pytest.raises(Forbidden):
        outlines.change(actor_of(lead), room.workshop_id, room.roles["Navigator"], 1,
                        {"kind": "add_text", "section": "values", "text": "Sneaky"})
    with pytest.raises(Forbidden):
        outlines.sign_off(actor_of(lead), room.workshop_id, room.roles["Navigator"], 1)
    assert json.loads(outlines.latest_version(room.roles["Navigator"]).content)["values"][-1][
        "text"] != "Sneaky"


def test_the_matrix_shows_overlaps_and_agreed_ideas_in_no_role(room):
    room.start("Navigator")
    room.start("Healthcare Assistant")
    room.change("Navigator", 1, kind="add_card", section="responsibilities", card_id=room.cards[1])
    room.change("Healthcare Assistant", 1, kind="add_card", section="responsibilities",
                card_id=room.cards[1])
    grid = matrix.role_matrix(db.session.get(Workshop, room.workshop_id))
    assert [row["text"] for row in grid["overlaps"]] == ["Knows local groups"]
    assert [card["text"] for card in grid["agreed_not_placed"]] == ["Helps people find support"]
    assert {role["title"] for role in grid["roles_missing"]} == {"Navigator", "Healthcare Assistant"}


def test_the_projector_follows_the_outline_it_shows(room, app):
    from coprod.services.events import Audience, Event
    room.start()
    published = []
    app.extensions["coprod.publisher"] = published.extend
    outlines.show_on_projector(room.boss, room.workshop_id, room.roles["Navigator"])
    room.change("Navigator", 1, kind="add_text", section="values", text="Kind")
    room_events = [(e.name, e.audience) for e in published if isinstance(e, Event)]
    assert ("outline.shown", Audience.EVERYONE) in room_events
    assert ("outline.changed", Audience.PROJECTOR) in room_events  # not to phones
