"""Pages for voting: consensus and moderation settings, people on paper, facilitators voting too."""

from coprod.extensions import db
from coprod.models import Card, Participant, Vote, Workshop
from coprod.services import audit, cards, participants, voting, workshops

from ..conftest import csrf_token
from ..factories import actor_of, group_id, join, make_user, make_workshop, set_phase
from .test_auth_pages import sign_in


def test_consensus_settings_are_saved_and_audited(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    page = client.get(f"/workshops/{workshop_id}").get_data(as_text=True)
    assert 'value="60"' in page and "When is an idea agreed?" in page
    token = csrf_token(client, f"/workshops/{workshop_id}")
    response = client.post(f"/workshops/{workshop_id}/consensus", data={
        "consensus_threshold": "75", "consensus_min_voters": "3", "divisive_gap": "25",
        "csrf_token": token})
    assert response.status_code == 302
    workshop = db.session.get(Workshop, workshop_id)
    assert (workshop.consensus_threshold, workshop.consensus_min_voters,
            workshop.divisive_gap) == (75, 3, 25)
    assert audit.events_for(workshop_id)[0].action == "settings.consensus_changed"


def post_threshold(client, threshold: str):
    """The owner of a new workshop sets its threshold on the page; (response, workshop id)."""
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    response = client.post(f"/workshops/{workshop_id}/consensus", data={
        "consensus_threshold": threshold, "consensus_min_voters": "2", "divisive_gap": "30",
        "csrf_token": csrf_token(client, f"/workshops/{workshop_id}")})
    return response, workshop_id


def test_an_impossible_threshold_is_refused_on_the_form(client, app):
    response, workshop_id = post_threshold(client, "160")
    assert response.status_code == 400
    assert "between 1 and 100" in response.get_data(as_text=True)
    assert db.session.get(Workshop, workshop_id).consensus_threshold == 60


def test_a_threshold_that_is_not_a_number_gets_a_plain_message(client, app):
    response, workshop_id = post_threshold(client, "sixty")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please enter a whole number, for example 60." in page
    assert "Not a valid integer" not in page
    assert db.session.get(Workshop, workshop_id).consensus_threshold == 60


def test_approve_first_holds_new_cards_back(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    client.post(f"/workshops/{workshop_id}/moderation", data={
        "approve_first": "y", "csrf_token": csrf_token(client, f"/workshops/{workshop_id}")})
    set_phase(owner, workshop_id, "contribute")
    person = join(workshop_id)
    card = cards.add_card(participants.actor_for(person), workshop_id, "competence",
                          "Speaks Welsh")["card"]
    assert card["state"] == "pending"
    cards.show_card(actor_of(owner), workshop_id, card["id"])
    assert db.session.get(Card, card["id"]).state == "visible"
    assert audit.events_for(workshop_id)[0].action == "card.approved"


def test_a_helper_enters_a_paper_participants_idea_and_ballot(client, app):
    owner, helper = make_user(), make_user("helper")
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, helper.email, "helper")
    sign_in(client, helper.email)
    page = f"/workshops/{workshop_id}/paper"
    response = client.post(page, data={"name": "Mr J", "constituency": group_id(workshop_id, "Carer"),
                                       "csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    person = db.session.query(Participant).filter_by(on_paper=True).one()
    assert person.nickname == "Mr J" and person.added_by_user_id == helper.id

    form_page = client.get(f"{page}?person={person.id}").get_data(as_text=True)
    assert "Add their idea" in form_page
    response = client.post(f"{page}/{person.id}/cards", data={
        "kind": "responsibility", "role_id": "0", "text": "Rings people back when promised",
        "cid": "paper-form-0001", "csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    card = db.session.query(Card).one()
    assert (card.participant_id, card.entered_by_user_id) == (person.id, helper.id)
    again = client.post(f"{page}/{person.id}/cards", data={  # the form sent twice
        "kind": "responsibility", "role_id": "0", "text": "Rings people back when promised",
        "cid": "paper-form-0001", "csrf_token": csrf_token(client, page)})
    assert again.status_code == 302 and db.session.query(Card).count() == 1

    set_phase(owner, workshop_id, "contribute", "review", "vote")
    round_id = voting.open_round(actor_of(owner), workshop_id, "dots", 3, 2)["round"]["id"]
    ballot = client.get(f"{page}?person={person.id}").get_data(as_text=True)
    assert f'name="card-{card.id}"' in ballot
    response = client.post(f"{page}/{person.id}/votes", data={
        "round_id": round_id, f"card-{card.id}": "2", "csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    vote = db.session.query(Vote).one()
    assert (vote.value, vote.entered_by_user_id) == (2, helper.id)
    over = client.post(f"{page}/{person.id}/votes", data={
        "round_id": round_id, f"card-{card.id}": "3", "csrf_token": csrf_token(client, page)})
    assert over.status_code == 400 and "between 0 and 2 dots" in over.get_data(as_text=True)
    assert db.session.query(Vote).one().value == 2


def test_the_paper_idea_box_shows_its_limit_before_anyone_types(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    person = participants.add_on_paper(actor_of(owner), workshop_id,
                                       group_id(workshop_id, "Carer"), "Mr J")
    sign_in(client, owner.email)
    page = client.get(f"/workshops/{workshop_id}/paper?person={person.id}").get_data(as_text=True)
    assert 'id="text-hint">Up to 280 characters.</div>' in page
    assert 'maxlength="280" aria-describedby="text-hint"' in page  # read out with the box
    assert "Up to 40 characters." in page  # the name of someone new


def test_a_lead_cannot_open_the_paper_page(client, app):
    owner, lead = make_user(), make_user("lead")
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, lead.email, "lead")
    sign_in(client, lead.email)
    assert client.get(f"/workshops/{workshop_id}/paper").status_code == 403


def test_a_facilitator_chooses_to_vote_too(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    page = f"/workshops/{workshop_id}/vote-too"
    assert "Facilitators do not vote unless they choose to" in client.get(page).get_data(as_text=True)
    response = client.post(page, data={"constituency": group_id(workshop_id, "Staff"),
                                       "csrf_token": csrf_token(client, page)})
    code = db.session.get(Workshop, workshop_id).join_code
    assert response.status_code == 302 and response.headers["Location"] == f"/p/{code}"
    me = db.session.query(Participant).one()
    assert me.user_id == owner.id and me.constituency.name == "Staff"
    assert "Participant 1" in client.get(f"/p/{code}").get_data(as_text=True)


def test_the_audit_trail_says_plainly_what_a_helper_entered_for_someone(client, app):
    owner, helper = make_user(), make_user("helper")
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, helper.email, "helper")
    set_phase(owner, workshop_id, "contribute")
    person = participants.add_on_paper(actor_of(helper), workshop_id,
                                       group_id(workshop_id, "Carer"), "Mr J")
    acting = participants.helper_actor(actor_of(helper), workshop_id, person.id)
    cards.add_card(acting, workshop_id, "responsibility", "Rings people back when promised")
    sign_in(client, owner.email)
    page = client.get(f"/workshops/{workshop_id}/audit").get_data(as_text=True)
    assert (f"Entered by helper (Helper #{helper.id}) for Participant #{person.id}, Carer"
            in page)
    assert "Mr J" not in page  # names stay off the trail
