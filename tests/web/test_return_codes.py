"""Return codes over HTTP: asked for on the phone, typed when joining the next session, printed
on cards by the facilitator; a code that cannot be used is refused kindly, and in Welsh too."""

import re
from datetime import date
from html import unescape

from coprod.domain.joincode import ALPHABET
from coprod.domain.return_codes import normalise_return_code
from coprod.extensions import db
from coprod.models import Participant, ReturnCode, Workshop
from coprod.services import cards, participants
from coprod.services.carry import start_next_session
from coprod.services.workshops import WorkshopDetails

from ..conftest import csrf_token
from ..factories import PASSWORD, actor_of, group_id, join, make_user, make_workshop, set_phase

CODE_SHOWN = re.compile(r'class="return-code__code"><span aria-hidden="true">([A-Z0-9-]+)<')
UNUSABLE = "We could not use that return code. It may be mistyped, used already, or too old."


def join_code(workshop_id: int) -> str:
    return db.session.get(Workshop, workshop_id).join_code


def second_session(owner, first_id: int) -> int:
    project_id = db.session.get(Workshop, first_id).project_id
    return start_next_session(actor_of(owner), project_id,
                              WorkshopDetails("Session 2", date(2027, 4, 11), "Carmarthen"))


def join_by_form(client, code: str, **fields):
    token = csrf_token(client, f"/j/{code}")
    return client.post(f"/j/{code}", data={"csrf_token": token, "consent": "y", "nickname": "",
                                           **fields})


def ask_on_phone(client, code: str) -> str:
    """Press "Get a return code" on the live page; the code the page then shows."""
    token = csrf_token(client, "/join")  # the page itself has no button once it shows a code
    response = client.post(f"/p/{code}/return-code", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/p/{code}#return-code")
    page = client.get(f"/p/{code}").get_data(as_text=True)
    return CODE_SHOWN.search(page).group(1)


def test_a_phone_gets_a_code_then_comes_back_next_session_with_its_number_and_ideas(app):
    owner = make_user()
    first_id = make_workshop(owner)
    first_code = join_code(first_id)
    phone = app.test_client()
    join(first_id, "Staff")  # someone else first, so the number is not simply 1
    assert join_by_form(phone, first_code,
                        constituency=group_id(first_id, "Carer")).status_code == 302
    person = db.session.query(Participant).filter_by(workshop_id=first_id).all()[-1]
    set_phase(owner, first_id, "contribute")
    cards.add_card(participants.actor_for(person), first_id, "responsibility",
                   "Ring people the day before their appointment")
    live = phone.get(f"/p/{first_code}").get_data(as_text=True)
    assert "Coming back next time?" in live and "Get a return code" in live
    assert "Your ideas from last time" not in live

    code = ask_on_phone(phone, first_code)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    shown = phone.get(f"/p/{first_code}").get_data(as_text=True)
    assert "It works once, until" in shown and "Get a return code" not in shown
    assert ask_on_phone(phone, first_code) == code  # asking again shows the same code

    second_id = second_session(owner, first_id)
    second_code = join_code(second_id)
    new_phone = app.test_client()
    form = new_phone.get(f"/j/{second_code}").get_data(as_text=True)
    assert "Return code (optional)" in form and "keep your number and group" in form
    # No group chosen: the code brings it. Typed in lower case with a space.
    response = join_by_form(new_phone, second_code, return_code=code.lower().replace("-", " "))
    assert response.status_code == 302 and response.headers["Location"] == f"/p/{second_code}"
    page = unescape(new_phone.get(f"/p/{second_code}").get_data(as_text=True))
    assert f"Participant {person.number}" in page and "Carer" in page
    assert "Your ideas from last time" in page
    assert "Ring people the day before their appointment" in page


def test_a_code_that_cannot_be_used_asks_before_joining_as_someone_new(app):
    owner = make_user()
    first_id = make_workshop(owner)
    join(first_id, "Carer")
    set_phase(owner, first_id, "contribute")
    second_id = second_session(owner, first_id)
    code = join_code(second_id)
    phone = app.test_client()
    refused = join_by_form(phone, code, return_code="KXMR-3PQT",
                           constituency=group_id(second_id, "Staff"))
    page = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert UNUSABLE in page and "Join as someone new" in page
    assert 'value="KXMR-3PQT"' in page  # kept, to correct it
    assert db.session.query(Participant).filter_by(workshop_id=second_id).count() == 0
    joined = join_by_form(phone, code, return_code="KXMR-3PQT", as_new="y",
                          constituency=group_id(second_id, "Staff"))
    assert joined.status_code == 302
    newcomer = db.session.query(Participant).filter_by(workshop_id=second_id).one()
    assert newcomer.returned_from_id is None and newcomer.constituency.name == "Staff"


def test_guessing_return_codes_is_throttled_like_join_codes(app):
    app.config["WTF_CSRF_ENABLED"] = False
    owner = make_user()
    first_id = make_workshop(owner)
    set_phase(owner, first_id, "contribute")
    code = join_code(second_session(owner, first_id))
    script = app.test_client()
    script.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    for number in range(60):
        guess = "".join(ALPHABET[number // len(ALPHABET) ** place % len(ALPHABET)]
                        for place in range(8))
        answer = script.post(f"/j/{code}", data={"return_code": guess, "consent": "y"})
        assert answer.status_code == 400
    paused = script.post(f"/j/{code}", data={"return_code": "KXMR-3PQT", "consent": "y"})
    assert paused.status_code == 429
    assert "Too many codes that did not work" in paused.get_data(as_text=True)


def sign_in(client, user):
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "csrf_token": csrf_token(client)})


def test_the_facilitator_prints_cards_and_makes_one_for_someone_on_paper(app, client):
    owner = make_user()
    workshop_id = make_workshop(owner, title="Navigator roles")
    on_paper = participants.add_on_paper(actor_of(owner), workshop_id,
                                         group_id(workshop_id, "Service user or patient"), "Rhys")
    sign_in(client, owner)
    page = client.get(f"/workshops/{workshop_id}/return-codes").get_data(as_text=True)
    assert "No return codes yet." in page and "Participant 1 (Rhys)" in page
    token = csrf_token(client, f"/workshops/{workshop_id}/return-codes")
    made = client.post(f"/workshops/{workshop_id}/return-codes/issue",
                       data={"csrf_token": token, "participant_id": on_paper.id})
    assert made.status_code == 302
    cards_page = unescape(client.get(made.headers["Location"]).get_data(as_text=True))
    stored = db.session.query(ReturnCode).one()
    card = cards_page[cards_page.index('<ul class="return-cards"'):]
    assert f"{stored.code[:4]}-{stored.code[4:]}" in card
    assert "Navigator roles" in card and "Participant 1" in card
    assert "Service user or patient" in card
    assert "Keep this card. Bring it to the next session." in card
    assert "Rhys" not in card  # the name is for the facilitator's list, never on the card
    assert normalise_return_code(stored.code) == stored.code
    assert 'href="/workshops/%d/return-codes"' % workshop_id in client.get(
        f"/workshops/{workshop_id}/console").get_data(as_text=True)


def test_another_facilitators_return_codes_are_not_found(app, client):
    owner, stranger = make_user(), make_user()
    workshop_id = make_workshop(owner)
    person = join(workshop_id, "Carer")
    sign_in(client, stranger)
    assert client.get(f"/workshops/{workshop_id}/return-codes").status_code == 404
    token = csrf_token(client, "/")
    refused = client.post(f"/workshops/{workshop_id}/return-codes/issue",
                          data={"csrf_token": token, "participant_id": person.id})
    assert refused.status_code == 404
    assert db.session.query(ReturnCode).count() == 0


def test_a_first_session_has_no_return_code_box(client, app):
    workshop_id = make_workshop(make_user())
    page = client.get(f"/j/{join_code(workshop_id)}").get_data(as_text=True)
    assert "you may ask for a return code" in page  # the notice says it from the first session
    assert "Return code (optional)" not in page  # but no earlier session's code could work here


def test_the_phone_says_it_in_welsh(app):
    owner = make_user()
    first_id = make_workshop(owner)
    set_phase(owner, first_id, "contribute")
    workshop_id = second_session(owner, first_id)
    code = join_code(workshop_id)
    phone = app.test_client()
    consent = unescape(phone.get(f"/j/{code}?lang=cy").get_data(as_text=True))
    assert "Cod dychwelyd (dewisol)" in consent and "cewch ofyn am god dychwelyd" in consent
    join_by_form(phone, code, constituency=group_id(workshop_id, "Carer"))
    page = unescape(phone.get(f"/p/{code}").get_data(as_text=True))
    assert "Dod yn ôl y tro nesaf?" in page and "Cael cod dychwelyd" in page
    assert "Coming back next time?" not in page
