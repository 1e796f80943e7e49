"""Access ends the moment it is removed: signing out, changing a password, unsharing, switching
an account off and taking a participant out each tell the open screens why, close them, send
them nothing more, and refuse them when they try to come back."""

import json

import pytest

from coprod.domain.errors import Forbidden
from coprod.extensions import db
from coprod.models import AuditEvent, Participant
from coprod.realtime import notifier as live
from coprod.services import cards, participants, workshops

from ..conftest import csrf_token
from ..factories import PASSWORD, actor_of, group_id, make_user, make_workshop
from ..web.test_auth_pages import sign_in
from .conftest import pick
from .test_live_cards import add


def signed_in(room, user):
    """A browser signed in as `user` (its cookie is what the screens connect with)."""
    http = room.http()
    sign_in(http, user.email)
    return http


def was_ended(client, notice: str, reason: str) -> None:
    """The screen was told why (as a key its page says in its own language), then closed."""
    assert not client.is_connected()
    told = [message["args"][0] for message in client.queue if message["name"] == notice]
    assert told == [{"reason": reason}], told
    client.queue.clear()


def something_happens(room, notifier) -> None:
    """A new change in the workshop that every screen would hear of: an idea and a newcomer."""
    add(room.phone(), text="Visits people at home after a hospital stay", cid="cid-after-end")
    participants.join(room.code, group_id(room.workshop_id, "Staff"), "Sam", True)
    notifier.flush(force_phones=True)


def hears_it(client) -> bool:
    names = [event["name"] for event in pick(client.get_received())]
    return "card.added" in names


def test_signing_out_closes_the_accounts_screens_and_they_stay_closed(room, notifier):
    http = signed_in(room, room.owner)
    console, projector = room.connect(http, "console"), room.connect(http, "projector")
    witness = room.staff("console")  # the same account in another browser: signed out too
    room.quiet()

    http.post("/logout", data={"csrf_token": csrf_token(http, "/")})

    for screen in (console, projector, witness):
        was_ended(screen, "signed_out", "signed_out")
    something_happens(room, notifier)
    assert console.queue == [] and projector.queue == [] and witness.queue == []
    assert not room.connect(http, "console").is_connected()


def test_changing_a_password_closes_the_screens_opened_before(room, notifier):
    elsewhere = signed_in(room, room.owner)
    old_console = room.connect(elsewhere, "console")
    here = signed_in(room, room.owner)
    room.quiet()

    here.post("/account/password", data={
        "current_password": PASSWORD, "password": "a brand new long passphrase",
        "confirm": "a brand new long passphrase",
        "csrf_token": csrf_token(here, "/account/password")})

    was_ended(old_console, "signed_out", "password_changed")
    something_happens(room, notifier)
    assert old_console.queue == []
    assert not room.connect(elsewhere, "console").is_connected()  # the old cookie is dead
    fresh = room.connect(here, "console")  # this browser got a new cookie with the change
    assert fresh.is_connected()
    room.quiet()
    something_happens(room, notifier)
    assert hears_it(fresh)


def test_unsharing_closes_that_workshops_screens_only(room, notifier):
    colleague = make_user()
    workshops.share(actor_of(room.owner), room.workshop_id, colleague.email, "facilitator")
    their_own = make_workshop(colleague)
    http = signed_in(room, colleague)
    console, projector = room.connect(http, "console"), room.connect(http, "projector")
    other_console = room.connect(http, "console", workshop_id=their_own)
    owner_console = room.staff("console")
    room.quiet()

    workshops.unshare(actor_of(room.owner), room.workshop_id, colleague.id)

    for screen in (console, projector):
        was_ended(screen, "access_ended", "unshared")
    something_happens(room, notifier)
    assert console.queue == [] and projector.queue == []
    assert hears_it(owner_console)  # the owner's console carries on
    assert other_console.is_connected()  # their own workshop is untouched
    assert not room.connect(http, "console").is_connected()
    assert not room.connect(http, "projector").is_connected()


def test_switching_an_account_off_closes_its_screens_and_stops_sign_in(room, notifier):
    admin = make_user("admin")
    admin_http = signed_in(room, admin)
    http = signed_in(room, room.owner)
    console = room.connect(http, "console")
    room.quiet()

    switched = admin_http.post(f"/admin/accounts/{room.owner.id}/enabled", data={
        "enabled": "0", "csrf_token": csrf_token(admin_http, "/admin/accounts")})

    assert switched.status_code == 302
    was_ended(console, "access_ended", "switched_off")
    something_happens(room, notifier)
    assert console.queue == []
    assert not room.connect(http, "console").is_connected()
    assert sign_in(room.http(), room.owner.email).status_code != 302  # cannot sign in
    audit = db.session.query(AuditEvent).filter_by(action="account.disabled").one()
    assert audit.workshop_id is None and json.loads(audit.payload) == {"user_id": room.owner.id}

    admin_http.post(f"/admin/accounts/{room.owner.id}/enabled", data={
        "enabled": "1", "csrf_token": csrf_token(admin_http, "/admin/accounts")})
    assert room.staff("console").is_connected()  # switched back on: signs in and connects


def test_taking_a_participant_out_closes_their_phone_and_their_link(room, notifier):
    console = room.staff("console")
    phone, neighbour = room.phone(), room.phone()
    person = db.session.query(Participant).order_by(Participant.id.desc()).offset(1).first()
    room.quiet()
    assert phone.emit("participant:remove", {"participant_id": person.id}, callback=True)[
        "error"]["message"] == "Only the facilitator can do that."

    ack = console.emit("participant:remove", {"participant_id": person.id}, callback=True)

    assert ack["ok"] and ack["participant"]["removed"] is True
    was_ended(phone, "access_ended", "removed")
    db.session.expire_all()
    assert db.session.get(Participant, person.id).removed_at is not None
    audit = db.session.query(AuditEvent).filter_by(action="participant.removed").one()
    assert json.loads(audit.payload) == {"participant_id": person.id}
    something_happens(room, notifier)
    assert phone.queue == []
    assert hears_it(neighbour)  # everyone else carries on


def test_a_participant_taken_out_needs_the_code_like_anyone_new(room, notifier):
    console = room.staff("console")
    http = room.http()
    token = csrf_token(http, f"/j/{room.code}")
    http.post(f"/j/{room.code}", data={"csrf_token": token, "consent": "y",
                                       "constituency": group_id(room.workshop_id, "Carer")})
    phone = room.connect(http, "phone")
    person = db.session.query(Participant).order_by(Participant.id.desc()).first()
    card_id = add(phone)["card"]["id"]

    console.emit("participant:remove", {"participant_id": person.id}, callback=True)

    assert not room.connect(http, "phone").is_connected()  # their cookie no longer lets them in
    page = http.get(f"/p/{room.code}")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/j/{room.code}")
    state = console.emit("sync", {}, callback=True)["state"]
    assert card_id in [card["id"] for card in state["cards"]]  # their idea stays
    assert [group["count"] for group in state["counts"] if group["name"] == "Carer"] == [0]


def test_a_removed_participant_is_refused_even_before_the_socket_closes(room):
    phone = room.phone()
    person = db.session.query(Participant).order_by(Participant.id.desc()).first()
    # The service's own check, for an action already on its way when the removal committed.
    participants.remove(actor_of(room.owner), room.workshop_id, person.id)
    assert not phone.is_connected()
    with pytest.raises(Forbidden, match="no longer taking part"):
        cards.add_card(participants.actor_for(person), room.workshop_id, "responsibility",
                       "Sent just as they were taken out", client_id="cid-late-000001")


def test_an_unshared_console_is_refused_even_before_the_socket_closes(room, monkeypatch):
    colleague = make_user()
    workshops.share(actor_of(room.owner), room.workshop_id, colleague.email, "facilitator")
    console = room.staff("console", user=colleague)
    # Pretend the close has not reached this worker yet: only the check on each event remains.
    monkeypatch.setattr(live, "end_access", lambda *args: None)
    workshops.unshare(actor_of(room.owner), room.workshop_id, colleague.id)
    assert console.is_connected()
    ack = console.emit("sync", {}, callback=True)
    assert ack["ok"] is False and "state" not in ack
