"""Groups always in the workshop's order (the order the facilitator typed them), never
alphabetically: on every page that lists them and in the exports."""

import re

from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import cards, outlines, participants, voting

from ..conftest import csrf_token
from ..factories import actor_of, join, make_user, make_workshop, set_phase
from .test_auth_pages import sign_in

# Not alphabetical, so a page that sorts by name shows them in another order.
ORDER = ["Staff", "Carer", "Advocates"]


def listed(text: str) -> list[str]:
    """The groups in the order the text first names each of them."""
    seen = []
    for name in re.findall("|".join(ORDER), text):
        if name not in seen:
            seen.append(name)
    return seen


def test_pages_and_exports_list_groups_in_the_workshops_order(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner, groups="\n".join(ORDER))
    people = {group: join(workshop_id, group) for group in ORDER}
    set_phase(owner, workshop_id, "contribute")
    for group in reversed(ORDER):  # ideas added in the other order
        cards.add_card(participants.actor_for(people[group]), workshop_id, "responsibility",
                       f"Listens to people ({group.lower()})")
    set_phase(owner, workshop_id, "review", "vote")
    vote = voting.open_round(actor_of(owner), workshop_id, "agree")["round"]["id"]
    first_idea = voting.latest_round(workshop_id).cards[0].card_id
    for group in reversed(ORDER):
        voting.cast_vote(participants.actor_for(people[group]), workshop_id, vote, first_idea,
                         "agree")
    workshop = db.session.get(Workshop, workshop_id)
    assert list(voting.progress(voting.latest_round(workshop_id))["voters"]) == ORDER  # the wall
    assert [group["name"] for group in voting.results(voting.latest_round(workshop_id),
                                                      workshop)["cards"][0]["groups"]] == ORDER
    voting.close_round(actor_of(owner), workshop_id, vote)
    set_phase(owner, workshop_id, "results", "build")
    role_id = workshop.roles[0].id
    start = outlines.ensure_outline(actor_of(owner), workshop_id, role_id)["number"]
    outlines.change(actor_of(owner), workshop_id, role_id, start, {
        "kind": "add_card", "section": "responsibilities", "card_id": first_idea})
    sign_in(client, owner.email)
    base = f"/workshops/{workshop_id}"
    for page in (base, f"{base}/paper", f"{base}/vote-too"):
        assert listed(client.get(page).get_data(as_text=True)) == ORDER, page
    export = client.post(f"{base}/outlines/export", data={
        "format": "csv", "csrf_token": csrf_token(client, f"{base}/outlines/")})
    assert export.status_code == 200 and listed(export.get_data(as_text=True)) == ORDER
