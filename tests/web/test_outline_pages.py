"""Outline pages: leads read, compare and download; only facilitators build; strangers see nothing."""

import io

from docx import Document

from coprod.services import audit, outlines, workshops

from ..conftest import csrf_token
from ..factories import make_user
from ..services.test_outlines import BuildRoom
from .test_auth_pages import sign_in


def built_room():
    room = BuildRoom()
    room.start("Navigator")
    room.change("Navigator", 1, kind="add_card", section="responsibilities", card_id=room.cards[0])
    outlines.sign_off(room.boss, room.workshop_id, room.roles["Navigator"], 2)
    return room


def as_lead(client, room):
    lead = make_user("lead")
    workshops.share(room.boss, room.workshop_id, lead.email, "lead")
    sign_in(client, lead.email)
    return lead


def test_a_lead_reads_the_outline_with_its_evidence(client, app):
    room = built_room()
    as_lead(client, room)
    base = f"/workshops/{room.workshop_id}/outlines"
    listing = client.get(f"{base}/").get_data(as_text=True)
    assert "Navigator" in listing and "Agreed" in listing and "Open the outline builder" not in listing
    page = client.get(f"{base}/{room.roles['Navigator']}").get_data(as_text=True)
    assert "Helps people find support" in page and "Agreed by every group in vote 1" in page
    assert "indicative, subject to job evaluation" in page and "Co-production statement" in page
    compare = client.get(f"{base}/{room.roles['Navigator']}/compare?a=1&b=2").get_data(as_text=True)
    assert "Added:" in compare and "Helps people find support" in compare
    assert "Roles compared" in client.get(f"{base}/matrix").get_data(as_text=True)


def test_a_lead_downloads_a_docx_and_the_download_is_audited(client, app):
    room = built_room()
    lead = as_lead(client, room)
    base = f"/workshops/{room.workshop_id}/outlines"
    response = client.post(f"{base}/export", data={
        "format": "docx", "role_id": room.roles["Navigator"],
        "csrf_token": csrf_token(client, f"{base}/")})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="navigator-v2-agreed.docx"'
    doc = Document(io.BytesIO(response.data))
    assert any(p.text == "Navigator" for p in doc.paragraphs)
    event = audit.events_for(room.workshop_id)[0]
    assert event.action == "export.created" and event.actor["user_id"] == lead.id


def test_an_unknown_format_is_refused_kindly(client, app):
    room = built_room()
    sign_in(client, room.owner.email)
    base = f"/workshops/{room.workshop_id}/outlines"
    response = client.post(f"{base}/export", data={"format": "exe",
                                                   "csrf_token": csrf_token(client, f"{base}/")})
    assert response.status_code == 400
    assert "We can export PDF" in response.get_data(as_text=True)


def test_a_lead_cannot_open_the_builder(client, app):
    room = built_room()
    as_lead(client, room)
    assert client.get(f"/workshops/{room.workshop_id}/outlines/build").status_code == 403


def test_strangers_cannot_reach_another_workshops_outlines(client, app):
    room = built_room()
    sign_in(client, make_user().email)
    base = f"/workshops/{room.workshop_id}/outlines"
    for page in ("/", f"/{room.roles['Navigator']}", "/matrix", "/build"):
        assert client.get(base + page).status_code == 404, page
    response = client.post(f"{base}/export", data={"format": "json",
                                                   "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 404


def test_the_builder_page_offers_each_role(client, app):
    room = built_room()
    sign_in(client, room.owner.email)
    page = client.get(f"/workshops/{room.workshop_id}/outlines/build").get_data(as_text=True)
    assert 'data-role="' in page and "Healthcare Assistant" in page and "Sign off" in page
