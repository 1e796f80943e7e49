"""The console holds or turns the wall's pages: staff only, audited, sent to the projector only."""

import pytest

from coprod.domain.errors import Forbidden, InvalidInput, NotFound
from coprod.services import audit, wall, workshops

from ..factories import actor_of, make_user, make_workshop
from ..web.test_auth_pages import sign_in
from .conftest import received


def test_the_console_turns_the_walls_pages_and_only_screens_that_show_them_hear(room, notifier):
    console, projector, phone = room.staff(), room.staff("projector"), room.phone()
    room.quiet()
    for action in ("hold", "next", "previous", "play"):
        ack = console.emit("wall:page", {"action": action}, callback=True)
        assert ack == {"ok": True, "wall": {"action": action}}
    notifier.flush(force_phones=True)
    on_wall = [(e["name"], e["data"], e["seq"]) for e in received(projector)]
    assert on_wall == [("wall.page", {"action": action}, None)
                       for action in ("hold", "next", "previous", "play")]
    assert not [e for e in received(phone) if e["name"] == "wall.page"]  # phones never page
    trail = [(e.action, e.payload) for e in audit.events_for(room.workshop_id, newest_first=False)]
    assert trail[-4:] == [("wall.paged", {"action": action})
                          for action in ("hold", "next", "previous", "play")]
    assert audit.verify(room.workshop_id).ok


@pytest.mark.parametrize("payload", [{"action": "jump"}, {"action": ""}, {"action": 3}, {},
                                     {"action": "next", "page": 4}])
def test_anything_but_hold_play_next_or_previous_is_refused_kindly(room, notifier, payload):
    console, projector = room.staff(), room.staff("projector")
    room.quiet()
    before = audit.head(room.workshop_id)
    ack = console.emit("wall:page", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert ack["error"]["message"].endswith(".")  # a sentence for a person, not a trace
    notifier.flush()
    assert received(projector) == [] and audit.head(room.workshop_id) == before


def test_phones_projectors_and_leads_cannot_page_the_wall(room, notifier):
    phone, own_projector = room.phone(), room.staff("projector")
    lead = make_user("lead")
    workshops.share(actor_of(room.owner), room.workshop_id, lead.email, "lead")
    # A lead may watch the wall, not run it.
    lead_projector = room.staff("projector", user=lead)
    assert lead_projector.is_connected()
    room.quiet()
    before = audit.head(room.workshop_id)
    for client in (phone, own_projector, lead_projector):
        ack = client.emit("wall:page", {"action": "next"}, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    notifier.flush()
    assert received(own_projector) == [] and audit.head(room.workshop_id) == before
    with pytest.raises(Forbidden):  # the service checks too, whatever the transport
        wall.page_wall(actor_of(lead), room.workshop_id, "next")


def test_another_workshops_facilitator_cannot_page_this_wall(room, notifier):
    outsider = make_user()
    elsewhere = make_workshop(outsider, title="Another centre's roles")
    projector = room.staff("projector")
    their_console = room.staff("console", user=outsider)
    assert not their_console.is_connected()  # refused at connect: not shared with them
    signed_in = room.http()
    sign_in(signed_in, outsider.email)
    own_console = room.connect(signed_in, "console", workshop_id=elsewhere)
    room.quiet()
    assert own_console.emit("wall:page", {"action": "next"}, callback=True)["ok"]  # their wall
    notifier.flush()
    assert received(projector) == []  # this workshop's wall did not move
    before = audit.head(room.workshop_id)
    with pytest.raises(NotFound):
        wall.page_wall(actor_of(outsider), room.workshop_id, "next")
    with pytest.raises(InvalidInput):
        wall.page_wall(actor_of(room.owner), room.workshop_id, "sideways")
    assert audit.head(room.workshop_id) == before
