"""The share form answers alike whether or not an email has an account, or what kind it is."""

import pytest

from coprod.domain.access import Action
from coprod.domain.errors import NotFound
from coprod.services.access import workshop_for_user

from ..conftest import csrf_token
from ..factories import PASSWORD, make_user, make_workshop


def share(client, workshop_id: int, email: str, access: str):
    page = f"/workshops/{workshop_id}"
    response = client.post(f"{page}/share", data={
        "email": email, "access": access, "csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def the_answer(page: str) -> str:
    start = page.index("If there is an account for")
    end = "it now has it."
    return page[start:page.index(end, start) + len(end)]


def test_the_answer_is_the_same_for_an_account_a_stranger_and_the_wrong_kind(client, app):
    owner, colleague, lead = make_user(), make_user(), make_user("lead")
    client.post("/login", data={"email": owner.email, "password": PASSWORD,
                                "csrf_token": csrf_token(client)})
    workshop_id = make_workshop(owner)
    answers = {
        "account": share(client, workshop_id, colleague.email, "facilitator"),
        "nobody": share(client, workshop_id, "nobody@example.org", "facilitator"),
        "a lead as facilitator": share(client, workshop_id, lead.email, "facilitator"),
        "the owner": share(client, workshop_id, owner.email, "helper"),
    }
    emails = {"account": colleague.email, "nobody": "nobody@example.org",
              "a lead as facilitator": lead.email, "the owner": owner.email}
    wording = {the_answer(page).replace(emails[case], "EMAIL") for case, page in answers.items()}
    assert len(wording) == 1, wording
    assert "no account" not in " ".join(answers.values()).lower()
    workshop_for_user(colleague.id, workshop_id, Action.RUN)  # the real share did happen
    with pytest.raises(NotFound):  # and the lead was not made a facilitator
        workshop_for_user(lead.id, workshop_id, Action.READ)
