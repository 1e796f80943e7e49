"""A project of two sessions: session 2 opens with everything session 1 built, and carries on.

One realistic project for the whole module (3 groups, 16 ideas over 3 roles, so card ids cross
from 9 to 10): session 1 adds ideas, edits one, hides one, merges two, votes and reveals, and
signs off an outline; session 2 is started from it, votes again, changes the outline and signs
it off as a version from session 2.
"""

import json
from datetime import date

import pytest
from sqlalchemy import select

from coprod.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coprod.extensions import db
from coprod.models import Card, CardMerge, Constituency, OutlineVersion, Role, Workshop, WorkshopMember
from coprod.services import (
    audit,
    cards,
    carry,
    exports,
    merges,
    outlines,
    participants,
    voting,
    workshops,
)
from coprod.services.workshops import WorkshopDetails

from ..factories import actor_of, join, make_user, make_workshop, set_phase

GROUPS = ("Service user or patient", "Carer", "Staff")
# Each person's answer to the vote, by idea: ideas 0-3 agreed by every group, 4 divides them.
IDEAS = {
    "Navigator": ["Helps people find local support", "Knows the local groups",
                  "Explains care plans in plain words", "Rings people the day before",
                  "Goes with people to their first appointment", "Keeps in touch after discharge"],
    "Healthcare Assistant": ["Takes blood pressure and explains the reading",
                             "Notices when someone is struggling", "Helps with forms",
                             "Makes a cup of tea and listens", "Knows when to ask the nurse"],
    "Nurse in Community Mental Health Centre": [
        "Reviews medication with the person", "Leads the weekly team meeting",
        "Trains healthcare assistants", "Works with carers on crisis plans",
        "Says the same thing twice when asked"],
}


class Project:
    """The project, session 1 run and finished, and session 2 started from it."""

    def __init__(self):
        self.owner = make_user()
        self.helper = make_user("helper")
        self.first = make_workshop(self.owner)
        workshops.share(self.boss, self.first, self.helper.email, "helper")
        workshops.update_consensus(self.boss, self.first, 70, 2, 30)
        self.project_id = db.session.get(Workshop, self.first).project_id
        set_phase(self.owner, self.first, "contribute")
        self.people = {f"{group} {n}": join(self.first, group) for group in GROUPS
                       for n in (1, 2)}
        self.ideas = self._add_ideas()
        self.edited = self.ideas["Helps people find local support"]
        cards.edit_card(self.boss, self.first, self.edited, "Helps people find local support groups")
        self.hidden = self.ideas["Says the same thing twice when asked"]
        cards.hide_card(self.boss, self.first, self.hidden, "Not about the role")
        set_phase(self.owner, self.first, "review")
        self.merged = self.ideas["Knows the local groups"]
        self.merged_into = self.ideas["Knows when to ask the nurse"]
        merges.merge_cards(self.boss, self.first, self.merged, self.merged_into)
        set_phase(self.owner, self.first, "vote")
        self.first_results = self._vote(self.first, split=self.ideas["Helps with forms"])
        set_phase(self.owner, self.first, "results", "build")
        self.signed = self._sign_off_navigator()
        self.second = carry.start_next_session(
            self.boss, self.project_id, WorkshopDetails("Session 2", date(2027, 4, 11), "Llanelli"))

    @property
    def boss(self):
        return actor_of(self.owner)

    def _add_ideas(self) -> dict[str, int]:
        roles = {role.title: role.id for role in db.session.get(Workshop, self.first).roles}
        authors = list(self.people.values())
        ideas = {}
        for role, texts in IDEAS.items():
            for text in texts:
                author = authors[len(ideas) % len(authors)]
                ideas[text] = cards.add_card(participants.actor_for(author), self.first,
                                             "responsibility", text, roles[role])["card"]["id"]
        return ideas

    def _vote(self, workshop_id: int, split: int) -> dict:
        """Everyone agrees with every idea but `split`, which staff reject: one agree round."""
        round_id = voting.open_round(self.boss, workshop_id, "agree")["round"]["id"]
        voters = participants.participants_of(workshop_id)
        on_vote = db.session.scalars(select(Card.id).where(
            Card.workshop_id == workshop_id, Card.state == "visible")).all()
        for person in voters:
            for card_id in on_vote:
                staff = person.constituency.name == "Staff"
                answer = "disagree" if card_id == split and staff else "agree"
                voting.cast_vote(participants.actor_for(person), workshop_id, round_id, card_id,
                                 answer)
        voting.close_round(self.boss, workshop_id, round_id)
        return voting.reveal(self.boss, workshop_id, round_id)["results"]

    def _sign_off_navigator(self) -> dict:
        role = self.role(self.first, "Navigator")
        outlines.ensure_outline(self.boss, self.first, role)
        outlines.change(self.boss, self.first, role, 1, {
            "kind": "add_card", "section": "responsibilities", "card_id": self.edited})
        late = self.ideas["Keeps in touch after discharge"]  # id 6; and one past 9 below
        outlines.change(self.boss, self.first, role, 2, {
            "kind": "add_card", "section": "responsibilities", "card_id": late})
        outlines.change(self.boss, self.first, role, 3, {
            "kind": "add_card", "section": "competences",
            "card_id": self.ideas["Knows when to ask the nurse"]})
        return outlines.sign_off(self.boss, self.first, role, 4, "Agreed by the room")

    def role(self, workshop_id: int, title: str) -> int:
        return db.session.scalar(select(Role.id).where(Role.workshop_id == workshop_id,
                                                       Role.title == title))

    def copy_of(self, card_id: int) -> Card:
        return db.session.scalar(select(Card).where(Card.workshop_id == self.second,
                                                    Card.carried_from_id == card_id))


@pytest.fixture(scope="module")
def project(module_app):
    return Project()


def test_the_ideas_cross_from_nine_to_ten(project):
    assert min(project.ideas.values()) < 10 <= max(project.ideas.values())
    assert len(project.ideas) == 16


def test_the_next_session_waits_until_this_one_has_started(project):
    # (before the test below starts session 2)
    with pytest.raises(Conflict, match="Session 2 has not started yet"):
        carry.start_next_session(project.boss, project.project_id,
                                 WorkshopDetails("Session 3", date(2027, 5, 9), ""))


def test_session_two_is_the_next_session_with_the_same_settings_and_people(project):
    first, second = db.session.get(Workshop, project.first), db.session.get(Workshop, project.second)
    assert (second.project_id, second.session_number, second.phase) == (first.project_id, 2, "lobby")
    assert second.join_code != first.join_code and second.owner_id == project.owner.id
    assert (second.title, second.venue) == ("Session 2", "Llanelli")
    assert second.consensus_threshold == 70  # the rule the room changed in session 1
    members = {(m.user_id, m.access) for m in db.session.scalars(
        select(WorkshopMember).where(WorkshopMember.workshop_id == project.second))}
    assert members == {(project.owner.id, "owner"), (project.helper.id, "helper")}
    groups = db.session.execute(select(Constituency.name, Constituency.position).where(
        Constituency.workshop_id == project.second).order_by(Constituency.position)).all()
    assert [tuple(row) for row in groups] == [(name, n) for n, name in enumerate(GROUPS)]


def test_roles_continue_from_session_one(project):
    for title in IDEAS:
        new = db.session.get(Role, project.role(project.second, title))
        assert new.carried_from_id == project.role(project.first, title)


def test_every_idea_opens_in_session_two_with_its_history_and_result(project):
    earlier = voting.statuses_by_card(project.first_results)
    assert set(earlier.values()) == {"agreed", "divisive"}  # both kinds of result to carry
    for text, old_id in project.ideas.items():
        old, new = db.session.get(Card, old_id), project.copy_of(old_id)
        assert (new.text, new.kind, new.state, new.version) == (old.text, old.kind, old.state,
                                                                  old.version), text
        assert new.participant_id == old.participant_id  # still names who wrote it
        assert new.role.title == old.role.title and new.role.workshop_id == project.second
        assert new.earlier_result == earlier.get(str(old_id)), text
    edited = project.copy_of(project.edited)
    assert [r.text for r in edited.revisions] == ["Helps people find local support",
                                                   "Helps people find local support groups"]
    hidden = project.copy_of(project.hidden)
    assert (hidden.state, hidden.hidden_reason, hidden.earlier_result) == (
        "hidden", "Not about the role", None)  # never voted on


def test_a_merge_comes_across_pointing_at_the_new_ideas(project):
    source, target = project.copy_of(project.merged), project.copy_of(project.merged_into)
    assert source.state == "merged" and source.merged_into_id == target.id
    merge = db.session.scalar(select(CardMerge).where(CardMerge.workshop_id == project.second))
    assert (merge.source_id, merge.target_id, merge.moves) == (source.id, target.id, "[]")
    # The console shows what the merged idea holds, and where it came from.
    view = next(v for v in cards.staff_card_views(project.second) if v["id"] == target.id)
    assert [m["text"] for m in view["merged_from"]] == ["Knows the local groups"]
    assert (view["from_session"], view["earlier_result"]) == (1, "agreed")


def test_the_outline_keeps_its_versions_and_points_at_session_two_ideas(project):
    old_role, new_role = (project.role(w, "Navigator") for w in (project.first, project.second))
    old = outlines.history(old_role)
    new = outlines.history(new_role)
    assert [(v["number"], v["status"], v["summary"], v["session_number"]) for v in new] == \
        [(v["number"], v["status"], v["summary"], 1) for v in old]
    latest = outlines.latest_version(new_role)
    assert latest.status == "agreed" and latest.agreed_note == "Agreed by the room"
    content = json.loads(latest.content)
    lines = content["responsibilities"] + content["competences"]
    for line in lines:
        (card_id,) = line["card_ids"]
        card = db.session.get(Card, card_id)
        assert card.workshop_id == project.second and card.text == line["text"]
    assert any(db.session.get(Card, line["card_ids"][0]).carried_from_id >= 10 for line in lines)
    carried = db.session.get(OutlineVersion, latest.carried_from_id)
    assert carried.role_id == old_role and carried.number == latest.number


def test_session_two_votes_changes_the_outline_and_signs_off_a_version_from_session_two(project):
    second = project.second
    set_phase(project.owner, second, "contribute")
    newcomer = join(second, "Carer")
    numbers = [p.number for p in participants.participants_of(project.first)]
    assert newcomer.number == max(numbers) + 1  # nobody gets a number someone already had
    for group in GROUPS:
        join(second, group)
    cards.add_card(participants.actor_for(newcomer), second, "responsibility",
                   "Knows the carers' centre", project.role(second, "Navigator"))
    set_phase(project.owner, second, "review", "vote")
    split = project.copy_of(project.ideas["Helps with forms"]).id
    outcome = project._vote(second, split=project.copy_of(project.edited).id)
    statuses = voting.statuses_by_card(outcome)
    assert statuses[str(split)] == "agreed"  # divisive in session 1, agreed now
    set_phase(project.owner, second, "results", "build")
    role = project.role(second, "Navigator")
    latest = outlines.latest_version(role).number
    draft = outlines.start_draft(project.boss, second, role, latest)
    changed = outlines.change(project.boss, second, role, draft["number"], {
        "kind": "add_card", "section": "responsibilities", "card_id": split})
    signed = outlines.sign_off(project.boss, second, role, changed["number"])
    assert (signed["number"], signed["session_number"]) == (latest + 2, 2)
    assert [v["session_number"] for v in outlines.history(role)][:3] == [2, 2, 1]
    assert audit.verify(project.first).ok and audit.verify(second).ok
    # The exports say which session made the version; an earlier version says nothing new.
    document = exports.export(project.boss, second, "md", role, language="en").data.decode()
    assert f"Version {signed['number']}. AGREED on" in document
    assert "Made in session 2." in document
    earlier = exports.export(project.boss, second, "json", role, version=latest, language="en")
    assert json.loads(earlier.data)["outlines"][0]["session_number"] == 1


def test_the_new_chain_records_the_session_and_what_came_across(project):
    events = {e.action: e.payload for e in audit.events_for(project.second, newest_first=False)}
    created = events["workshop.created"]
    assert (created["session_number"], created["carried_from_workshop_id"]) == (2, project.first)
    assert created["project"]["id"] == project.project_id
    assert created["constituencies"] == list(GROUPS)
    moved = events["session.carried_forward"]
    assert moved["cards"] == {str(old): project.copy_of(old).id for old in project.ideas.values()}
    assert len(moved["roles"]) == 3 and len(moved["outline_versions"]) == 4


def test_a_facilitator_of_another_project_cannot_start_a_session_in_this_one(project):
    stranger = make_user()
    make_workshop(stranger)
    before = db.session.query(Workshop).count()
    with pytest.raises(NotFound):
        carry.start_next_session(actor_of(stranger), project.project_id,
                                 WorkshopDetails("Session 3", date(2027, 5, 9), ""))
    with pytest.raises(NotFound):
        carry.start_next_session(actor_of(project.helper), project.project_id + 1000,
                                 WorkshopDetails("Session 3", date(2027, 5, 9), ""))
    assert db.session.query(Workshop).count() == before


def test_a_helper_of_the_project_cannot_start_a_session(project):
    with pytest.raises(Forbidden):
        carry.start_next_session(actor_of(project.helper), project.project_id,
                                 WorkshopDetails("Session 3", date(2027, 5, 9), ""))


def test_a_session_needs_a_title_and_a_date(project):
    with pytest.raises(InvalidInput) as missing:
        carry.start_next_session(project.boss, project.project_id,
                                 WorkshopDetails("  ", date(2027, 5, 9), ""))
    assert missing.value.field == "title"
    with pytest.raises(InvalidInput) as no_date:
        carry.start_next_session(project.boss, project.project_id,
                                 WorkshopDetails("Session 3", None, ""))
    assert no_date.value.field == "held_on"
