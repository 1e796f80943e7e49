"""The set-up page's "People you expect": saved, audited, refused kindly when impossible."""

import pytest

from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import audit, workshops

from ..conftest import csrf_token
from ..factories import actor_of, make_user, make_workshop
from .test_auth_pages import sign_in


def post_expected(client, workshop_id: int, typed: str):
    return client.post(f"/workshops/{workshop_id}/expected-size", data={
        "expected_size": typed, "csrf_token": csrf_token(client, f"/workshops/{workshop_id}")})


def test_the_facilitator_sets_and_clears_how_many_people_they_expect(client, app):
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    page = client.get(f"/workshops/{workshop_id}").get_data(as_text=True)
    assert "How many people do you expect? (optional)" in page
    assert post_expected(client, workshop_id, "45").status_code == 302
    assert db.session.get(Workshop, workshop_id).expected_size == 45
    assert 'value="45"' in client.get(f"/workshops/{workshop_id}").get_data(as_text=True)
    assert post_expected(client, workshop_id, "").status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop_id).expected_size is None
    changes = [e.payload for e in audit.events_for(workshop_id, newest_first=False)
               if e.action == "settings.expected_size_changed"]
    assert changes == [{"expected_size": [None, 45]}, {"expected_size": [45, None]}]


@pytest.mark.parametrize("typed, says", [("lots", "whole number"), ("0", "from 1 to 2000"),
                                         ("30000", "from 1 to 2000")])
def test_an_impossible_number_is_refused_on_the_form(client, app, typed, says):
    owner = make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, owner.email)
    response = post_expected(client, workshop_id, typed)
    assert response.status_code == 400 and says in response.get_data(as_text=True)
    assert db.session.get(Workshop, workshop_id).expected_size is None


def test_a_shared_lead_cannot_set_it(client, app):
    owner, lead = make_user(), make_user("lead")
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, lead.email, "lead")
    sign_in(client, lead.email)
    response = post_expected(client, workshop_id, "45")
    # Refused like the other settings forms: the page again with the reason, nothing saved.
    assert response.status_code in (400, 403, 404)
    assert db.session.get(Workshop, workshop_id).expected_size is None
