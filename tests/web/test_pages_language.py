"""Facilitator and account pages in Cymraeg and English: the page's language, its headings and
form errors follow the reader's choice, the switch keeps the page, and the bilingual-wall
setting is saved, audited, heard by the projector and refused to anyone who may not run the
workshop."""

import re
from html import unescape

import pytest

from coprod.domain.i18n import _
from coprod.extensions import db
from coprod.language import in_language
from coprod.models import Workshop
from coprod.services import audit, workshops
from coprod.web.filters import ACTION_LABELS

from ..conftest import csrf_token
from ..factories import actor_of, join, make_user, make_workshop
from ..realtime.conftest import Room, received
from ..services.test_audit_payloads import ACTIONS
from .test_auth_pages import sign_in

WELSH = {"Accept-Language": "cy"}
# Each facilitator page and the heading a reader sees on it (the English message id).
PAGES = {
    "workshops": ("/", "Your workshops"),
    "new": ("/workshops/new", "Create a workshop"),
    "show": ("/workshops/{id}", "Roles being designed"),
    "paper": ("/workshops/{id}/paper", "People taking part on paper"),
    "audit": ("/workshops/{id}/audit", "Audit trail"),
    "accounts": ("/admin/accounts", "Accounts"),
    "password": ("/account/password", "Change your password"),
    "missing": ("/no-such-page", "Page not found"),
}
SIGNED_OUT_PAGES = {"sign in": ("/login", "Sign in"), "home": ("/", "Welcome to coprod")}
_HEADING = re.compile(r"<h([12])[^>]*>(.*?)</h\1>", re.S)


def welsh(english: str) -> str:
    """The Welsh catalogue's wording of a message (never the English: that would prove nothing)."""
    with in_language("cy"):
        wording = str(_(english))
    assert wording != english, f"no Welsh for {english!r}"
    return wording


def headings(page: str) -> list[str]:
    """The text of each h1 and h2, as a reader sees it."""
    return [unescape(re.sub(r"<[^>]+>", "", text)).strip()
            for _level, text in _HEADING.findall(page)]


def text_of(response) -> str:
    """The page as a reader sees its characters (apostrophes unescaped)."""
    return unescape(response.get_data(as_text=True))


def switch_links(page: str) -> dict[str, str]:
    """The language switch's links: {lang attribute: the whole <a ...> tag}."""
    return {lang: tag for tag, lang in re.findall(r'(<a [^>]*\blang="([^"]+)"[^>]*>)', page)}


@pytest.fixture
def admin_with_workshop(client, app):
    admin = make_user("admin")
    workshop_id = make_workshop(admin)
    sign_in(client, admin.email)
    return admin, workshop_id


@pytest.mark.parametrize("name", PAGES)
def test_each_facilitator_page_reads_in_welsh_and_switches_back_to_english(
        client, admin_with_workshop, name):
    _admin, workshop_id = admin_with_workshop
    path, heading = PAGES[name]
    path = path.format(id=workshop_id)
    expected_status = 404 if name == "missing" else 200

    response = client.get(path, headers=WELSH)
    page = response.get_data(as_text=True)
    assert response.status_code == expected_status
    assert '<html lang="cy">' in page
    assert welsh(heading) in headings(page)
    links = switch_links(page)
    assert 'aria-current="true"' in links["cy"] and "aria-current" not in links["en-GB"]
    assert f'href="{path}?lang=en"' in links["en-GB"]

    response = client.get(f"{path}?lang=en", headers=WELSH)
    page = response.get_data(as_text=True)
    assert response.status_code == expected_status  # the same page, now in English
    assert '<html lang="en-GB">' in page and heading in headings(page)
    # The choice is kept: the next page stays English though the browser still asks for Welsh.
    assert '<html lang="en-GB">' in client.get(path, headers=WELSH).get_data(as_text=True)


@pytest.mark.parametrize("name", SIGNED_OUT_PAGES)
def test_signed_out_pages_offer_welsh_first_and_read_in_welsh(client, app, name):
    path, heading = SIGNED_OUT_PAGES[name]
    english = client.get(path).get_data(as_text=True)
    # The Active Offer: Cymraeg is offered, first, to someone reading in English.
    assert list(switch_links(english)) == ["cy", "en-GB"]
    assert re.search(r'<a [^>]*lang="cy"[^>]*>Cymraeg</a>', english)  # named in Welsh
    page = client.get(f"{path}?lang=cy").get_data(as_text=True)
    assert '<html lang="cy">' in page and welsh(heading) in headings(page)


def test_a_form_error_in_welsh_is_in_welsh(client, admin_with_workshop):
    response = client.post("/workshops/new", headers=WELSH, data={
        "title": "", "held_on": "2027-03-14", "constituencies": "Gofalwr",
        "templates": ["navigator"], "csrf_token": csrf_token(client, "/workshops/new")})
    page = text_of(response)
    assert response.status_code == 400
    assert welsh("There is a problem") in page
    assert welsh("Please give the workshop a title.") in page
    assert "Please give the workshop a title." not in page


def test_a_workshop_set_up_in_welsh_starts_with_welsh_groups_and_roles(client,
                                                                       admin_with_workshop):
    form = text_of(client.get("/workshops/new", headers=WELSH))
    suggested = [welsh("Service user or patient"), welsh("Carer"), "Staff"]  # Staff in both
    assert "\n".join(suggested) in form  # the groups offered, in Welsh
    response = client.post("/workshops/new", headers=WELSH, data={
        "title": "Rolau newydd", "held_on": "2027-03-14", "constituencies": "\n".join(suggested),
        "templates": ["navigator"], "csrf_token": csrf_token(client, "/workshops/new")})
    assert response.status_code == 302
    workshop = db.session.scalars(db.select(Workshop).where(Workshop.title == "Rolau newydd")).one()
    assert [group.name for group in workshop.constituencies] == suggested
    assert [role.title for role in workshop.roles] == [welsh("Navigator")]


def test_a_refusal_from_the_rules_is_in_welsh(client, app):
    user = make_user()
    response = client.post("/login", headers=WELSH, data={
        "email": user.email, "password": "not the password at all",
        "csrf_token": csrf_token(client)})
    page = text_of(response)
    assert response.status_code == 400
    assert welsh("That email and password do not match. Please check them and try again.") in page


def test_a_settings_form_error_switches_language_on_the_settings_page(client,
                                                                      admin_with_workshop):
    # The error page answers a form sent to /details, which takes only forms: the switch
    # must lead to the settings page itself, not to an address that answers "not allowed".
    _admin, workshop_id = admin_with_workshop
    response = client.post(f"/workshops/{workshop_id}/details", headers=WELSH, data={
        "title": "", "held_on": "2027-03-14", "venue": "",
        "csrf_token": csrf_token(client, f"/workshops/{workshop_id}")})
    page = text_of(response)
    assert response.status_code == 400 and welsh("Please give the workshop a title.") in page
    english_link = switch_links(page)["en-GB"]
    assert f'href="/workshops/{workshop_id}?lang=en"' in english_link
    assert client.get(f"/workshops/{workshop_id}?lang=en").status_code == 200


def test_the_audit_trail_says_what_happened_in_welsh_and_keeps_the_codes(client,
                                                                         admin_with_workshop):
    _admin, workshop_id = admin_with_workshop
    join(workshop_id, "Carer")
    page = text_of(client.get(f"/workshops/{workshop_id}/audit", headers=WELSH))
    assert welsh("Someone joined") in page and "participant.joined" in page
    assert welsh("Workshop created") in page and "workshop.created" in page


def test_every_audit_action_has_words():
    # docs/audit.md lists every action a service writes (tests/services/test_audit_payloads.py).
    assert sorted(set(ACTIONS) - set(ACTION_LABELS)) == []


def test_dates_are_written_in_the_readers_language(client, admin_with_workshop):
    _admin, workshop_id = admin_with_workshop  # held on 14 March 2027
    assert "14 Mawrth 2027" in client.get(f"/workshops/{workshop_id}",
                                           headers=WELSH).get_data(as_text=True)
    assert "14 March 2027" in client.get(f"/workshops/{workshop_id}?lang=en").get_data(
        as_text=True)


def post_screen_settings(client, workshop_id: int, **ticked):
    return client.post(f"/workshops/{workshop_id}/moderation", data={
        **{name: "y" for name, on in ticked.items() if on},
        "csrf_token": csrf_token(client, f"/workshops/{workshop_id}")})


def wall_changes(workshop_id: int) -> list[dict]:
    return [event.payload for event in audit.events_for(workshop_id, newest_first=False)
            if event.action == "settings.bilingual_wall_changed"]


def test_the_facilitator_turns_the_bilingual_wall_on_and_off_and_it_is_audited(
        client, admin_with_workshop):
    _admin, workshop_id = admin_with_workshop
    page = client.get(f"/workshops/{workshop_id}").get_data(as_text=True)
    assert "Show Welsh and English together on the projector (bilingual wall)" in page
    assert post_screen_settings(client, workshop_id, bilingual_wall=True).status_code == 302
    assert db.session.get(Workshop, workshop_id).bilingual_wall is True
    settings = client.get(f"/workshops/{workshop_id}").get_data(as_text=True)
    assert "The projector shows Welsh and English together." in settings
    assert re.search(r'id="bilingual_wall"[^>]*checked', settings)
    assert post_screen_settings(client, workshop_id).status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop_id).bilingual_wall is False
    assert wall_changes(workshop_id) == [{"bilingual_wall": [False, True]},
                                         {"bilingual_wall": [True, False]}]


def test_saving_the_same_setting_again_adds_nothing_to_the_trail(client, admin_with_workshop):
    admin, workshop_id = admin_with_workshop
    assert workshops.set_bilingual_wall(actor_of(admin), workshop_id, True) is True
    assert workshops.set_bilingual_wall(actor_of(admin), workshop_id, True) is False
    assert len(wall_changes(workshop_id)) == 1


def test_the_projector_hears_at_once_that_the_wall_is_bilingual(app, notifier):
    room = Room(app)
    projector = room.staff("projector")
    room.quiet()
    workshops.set_bilingual_wall(actor_of(room.owner), room.workshop_id, True)
    notifier.flush()
    changed = [event["data"] for event in received(projector)
               if event["name"] == "workshop.changed"]
    assert changed == [{"bilingual_wall": True}]


@pytest.mark.parametrize("access", ["helper", "lead"])
def test_helpers_and_leads_cannot_change_the_wall(client, app, access):
    owner, someone = make_user(), make_user(access)
    workshop_id = make_workshop(owner)
    workshops.share(actor_of(owner), workshop_id, someone.email, access)
    sign_in(client, someone.email)
    response = post_screen_settings(client, workshop_id, bilingual_wall=True)
    assert response.status_code == 403
    assert db.session.get(Workshop, workshop_id).bilingual_wall is False
    assert wall_changes(workshop_id) == []


def test_a_facilitator_cannot_change_another_workshops_wall(client, app):
    owner, stranger = make_user(), make_user()
    workshop_id = make_workshop(owner)
    sign_in(client, stranger.email)
    response = post_screen_settings(client, workshop_id, bilingual_wall=True)
    assert response.status_code == 404  # another's workshop is not even said to exist
    assert db.session.get(Workshop, workshop_id).bilingual_wall is False
    assert wall_changes(workshop_id) == []
