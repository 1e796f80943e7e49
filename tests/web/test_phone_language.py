"""The phone in Welsh and English: the choice comes first, sticks, and consent keeps its language."""

import re
from html import unescape

from coprod.extensions import db
from coprod.models import Participant, Workshop
from coprod.services import audit

from ..conftest import csrf_token
from ..factories import group_id, make_user, make_workshop

WELSH = {"Accept-Language": "cy"}


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def new_code() -> tuple[int, str]:
    workshop_id = make_workshop(make_user())
    return workshop_id, db.session.get(Workshop, workshop_id).join_code


def test_a_welsh_browser_gets_the_join_page_in_welsh(client, app):
    page = client.get("/join", headers=WELSH).get_data(as_text=True)
    assert html_lang(page) == "cy"
    assert "Ymuno â gweithdy" in page and "Cod ymuno" in page and "Parhau" in page
    assert "Join a workshop" not in page


def test_the_join_page_offers_both_languages_first_whatever_it_is_in(client, app):
    for headers in ({}, WELSH):
        page = client.get("/join", headers=headers).get_data(as_text=True)
        main = page[page.index('<main'):]
        offer = main[:main.index("<h1")]  # before the page's own heading
        assert '<span lang="cy">Dewiswch iaith</span>' in offer
        assert '<span lang="en-GB">Choose your language</span>' in offer
        assert re.search(r'<a [^>]*href="/join\?lang=cy" lang="cy"[^>]*>Cymraeg</a>', offer)
        assert re.search(r'<a [^>]*href="/join\?lang=en" lang="en-GB"[^>]*>English</a>', offer)
    current = re.findall(r'<a [^>]*aria-current="true"[^>]*>(\w+)</a>', page)
    assert current == ["Cymraeg"]  # the last page was the Welsh one


def test_choosing_english_switches_the_same_page_and_is_remembered(client, app):
    _, code = new_code()
    welsh = client.get(f"/j/{code}", headers=WELSH).get_data(as_text=True)
    assert "Cyn i chi ymuno" in welsh and html_lang(welsh) == "cy"
    switched = client.get(f"/j/{code}?lang=en", headers=WELSH)
    assert switched.status_code == 200
    assert "coprod_lang=en" in switched.headers["Set-Cookie"]
    assert "Before you join" in switched.get_data(as_text=True)
    later = client.get("/join", headers=WELSH).get_data(as_text=True)  # the cookie wins
    assert html_lang(later) == "en-GB" and "Join a workshop" in later


def test_the_consent_notice_is_in_welsh_on_a_welsh_page(client, app):
    _, code = new_code()
    page = client.get(f"/j/{code}?lang=cy").get_data(as_text=True)
    assert "Rydym yn dileu enwau 12 mis ar ôl y gweithdy." in page
    assert "Sut rydym yn defnyddio eich atebion" in page
    assert "We delete names" not in page


def test_joining_in_welsh_records_welsh_consent_in_the_row_and_the_audit_trail(client, app):
    workshop_id, code = new_code()
    client.get(f"/j/{code}?lang=cy")
    response = client.post(f"/j/{code}", data={
        "csrf_token": csrf_token(client, f"/j/{code}"), "consent": "y", "nickname": "",
        "constituency": group_id(workshop_id, "Carer")})
    assert response.status_code == 302
    person = db.session.query(Participant).one()
    assert (person.consent_version, person.consent_language) == ("2026-11-v3", "cy")
    joined = [e for e in audit.events_for(workshop_id) if e.action == "participant.joined"]
    assert joined[0].payload["consent_version"] == "2026-11-v3"
    assert joined[0].payload["consent_language"] == "cy"
    live = client.get(f"/p/{code}").get_data(as_text=True)
    assert html_lang(live) == "cy" and "Chi yw <strong>Cyfranogwr 1</strong>" in live
    assert 'href="/p/%s?lang=en" lang="en-GB"' % code in live  # the small switch


def test_joining_in_english_records_english_consent(client, app):
    workshop_id, code = new_code()
    client.post(f"/j/{code}", data={
        "csrf_token": csrf_token(client, f"/j/{code}"), "consent": "y", "nickname": "",
        "constituency": group_id(workshop_id, "Staff")})
    assert db.session.query(Participant).one().consent_language == "en"
    joined = [e for e in audit.events_for(workshop_id) if e.action == "participant.joined"]
    assert joined[0].payload["consent_language"] == "en"


def test_a_mistake_on_the_welsh_join_page_is_explained_in_welsh(client, app):
    response = client.post("/join?lang=cy", data={"code": "ZZZZZZ",
                                                  "csrf_token": csrf_token(client, "/join?lang=cy")})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Doedden ni ddim yn gallu dod o hyd i weithdy gyda'r cod hwnnw." in page
    assert "Gwiriwch hyn" in page and html_lang(page) == "cy"


def test_a_missing_tick_on_the_welsh_consent_page_is_explained_in_welsh(client, app):
    workshop_id, code = new_code()
    client.get(f"/j/{code}?lang=cy")
    response = client.post(f"/j/{code}", data={
        "csrf_token": csrf_token(client, f"/j/{code}"), "consent": "", "nickname": "",
        "constituency": group_id(workshop_id, "Carer")})
    assert response.status_code == 400
    assert "Ticiwch y blwch" in response.get_data(as_text=True)
    assert db.session.query(Participant).count() == 0


def test_every_phone_page_has_the_larger_text_switch(client, app):
    for language, label in (("en", "Larger text"), ("cy", "Testun mwy")):
        page = client.get(f"/join?lang={language}").get_data(as_text=True)
        assert re.search(r'<button [^>]*id="larger-text" aria-pressed="false">' + label, page)


def test_a_group_not_offered_is_refused_in_the_pages_language(client, app):
    _, code = new_code()
    other_workshop, _ = new_code()
    client.get(f"/j/{code}?lang=cy")
    response = client.post(f"/j/{code}", data={
        "csrf_token": csrf_token(client, f"/j/{code}"), "consent": "y", "nickname": "",
        "constituency": group_id(other_workshop, "Carer")})  # another workshop's group
    assert response.status_code == 400
    assert "Dewiswch y grŵp sy'n gweddu orau i chi." in unescape(response.get_data(as_text=True))
    assert db.session.query(Participant).count() == 0
