"""Reads that do not grow with the room: every sync, page and export runs as many SQL statements
for a workshop of 10 ideas as for one of 200 (a read that loops over ideas one query at a time
slows every screen down as the room fills up)."""

from contextlib import contextmanager
from functools import partial

import pytest
from sqlalchemy import event

from coprod.domain.labels import FACILITATOR_GROUP
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import (
    cards,
    documents,
    exports,
    live,
    merges,
    outlines,
    participants,
    voting,
    workshops,
)

from ..factories import set_phase
from ..support.rooms import GROUPS, Room, build_room
from ..web.test_auth_pages import sign_in

SIZES = (10, 200)
PEOPLE_PER_GROUP = 3  # the same people at both sizes: what grows is the ideas (and their votes)
FORMATS = ("pdf", "docx", "md", "csv", "json")


def loose_ends(room: Room) -> Room:
    """What build_room leaves out and a real room has: an idea waiting for approval, one hidden
    by the facilitator, and a chain of merges (a merged idea merged again, and the facilitator's
    own idea) into a line of an outline, kept as `room.chained_line`."""
    boss, wid = room.actor, room.workshop_id
    set_phase(room.owner, wid, "results", "vote", "review", "contribute")
    workshops.set_approve_first(boss, wid, True)
    cards.add_card(participants.actor_for(_phone(room)), wid, "competence",
                   "Knows the bus routes to the centre")
    own_idea = cards.add_card(boss, wid, "responsibility",
                              "Opens the centre on Saturday mornings")["card"]["id"]
    workshops.set_approve_first(boss, wid, False)
    set_phase(room.owner, wid, "review")
    kept = (room.kept_merge.source_id, room.kept_merge.target_id)
    adopted = [card for signed in room.signed.values() for ids in signed.card_ids.values()
               for card in ids if card not in kept]
    room.chained_line = adopted[0]
    others = [card for card in room.card_ids if card not in (*kept, room.chained_line)]
    cards.hide_card(boss, wid, others[-1], "Said twice by the same person")
    merges.merge_cards(boss, wid, room.kept_merge.target_id, room.chained_line)
    merges.merge_cards(boss, wid, own_idea, room.chained_line)
    return room


@pytest.fixture(scope="module")
def rooms(module_app):
    """Two workshops of the same shape in one database, built once for every count."""
    built = {size: loose_ends(build_room(size, PEOPLE_PER_GROUP)) for size in SIZES}
    db.session.commit()
    return module_app, built


@contextmanager
def counting():
    """Count the SQL statements run inside the block (cold: nothing loaded beforehand)."""
    db.session.expire_all()
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _workshop(room):
    return db.session.get(Workshop, room.workshop_id)


def _phone(room):
    return room.people["Carer"][0]  # their own idea waits for approval


def _versions(room):
    return [(role, version) for role, version in outlines.outline_roles(room.workshop_id)
            if version]


def _export(room, fmt, one_role=False):
    return exports.export(room.actor, room.workshop_id, fmt,
                          room.role_ids[0] if one_role else None)


READS = {
    "console sync": lambda room: live.console_state(_workshop(room)),
    "projector sync": lambda room: live.projector_state(_workshop(room)),
    "phone sync": lambda room: live.phone_state(_workshop(room), _phone(room)),
    "phone own sync": lambda room: live.phone_own_state(room.workshop_id, _phone(room).id),
    "outline builder": lambda room: live.builder_state(room.workshop_id),
    "outline document": lambda room: documents.build(_workshop(room), _versions(room)),
    **{f"export {fmt} (workshop)": partial(_export, fmt=fmt) for fmt in FORMATS},
    **{f"export {fmt} (one role)": partial(_export, fmt=fmt, one_role=True) for fmt in FORMATS},
}

PAGES = {
    "outlines page": lambda room: f"/workshops/{room.workshop_id}/outlines/",
    "outline page": lambda room: f"/workshops/{room.workshop_id}/outlines/{room.role_ids[0]}",
    "role matrix page": lambda room: f"/workshops/{room.workshop_id}/outlines/matrix",
    "builder page": lambda room: f"/workshops/{room.workshop_id}/outlines/build",
}


def _count_read(room, read) -> int:
    with counting() as seen:
        assert read(room)
    db.session.commit()  # end the read, as a request would
    return len(seen)


def _count_page(app, room, path) -> int:
    client = app.test_client()
    sign_in(client, room.owner.email)
    with counting() as seen:
        assert client.get(path).status_code == 200
    return len(seen)


@pytest.mark.parametrize("name", READS)
def test_a_read_runs_as_many_statements_for_200_ideas_as_for_10(rooms, name):
    _, built = rooms
    counts = {size: _count_read(built[size], READS[name]) for size in SIZES}
    assert counts[10] == counts[200], f"{name}: {counts[10]} statements for 10 ideas, " \
                                      f"{counts[200]} for 200"


@pytest.mark.parametrize("name", PAGES)
def test_a_page_runs_as_many_statements_for_200_ideas_as_for_10(rooms, name):
    app, built = rooms
    counts = {size: _count_page(app, built[size], PAGES[name](built[size])) for size in SIZES}
    assert counts[10] == counts[200], f"{name}: {counts[10]} statements for 10 ideas, " \
                                      f"{counts[200]} for 200"


def _in_order(names: list[str]) -> list[str]:
    """The names in the workshop's order (GROUPS, as build_room made them), the facilitator's
    ideas last: what a reader expects in every list of groups."""
    order = [*GROUPS, FACILITATOR_GROUP]
    return sorted(names, key=order.index)


def test_groups_are_listed_in_the_workshops_order_with_the_facilitators_ideas_last(rooms):
    _, built = rooms
    room = built[10]
    document = documents.build(_workshop(room), _versions(room))
    statement = document["statement"]
    assert [row["constituency"] for row in statement["participants"]] == list(GROUPS)
    # Every group proposed ideas, and the facilitator added one.
    assert [row["constituency"] for row in statement["cards_proposed"]] == \
        [*GROUPS, FACILITATOR_GROUP]
    adopted = [row["constituency"] for row in statement["items_adopted"]["by_constituency"]]
    assert adopted == _in_order(adopted)
    line = next(item for outline in document["outlines"] for section in outline["sections"]
                for item in section["items"] if item["card_ids"] == [room.chained_line])
    proposers = {room.ideas[card].group for card in (
        room.chained_line, room.kept_merge.target_id, room.kept_merge.source_id)}
    assert line["proposed_by"] == _in_order([*proposers, FACILITATOR_GROUP])
    console = live.console_state(_workshop(room))
    assert [group["name"] for group in console["counts"]] == list(GROUPS)
    assert list(console["progress"]["voters"]) == list(GROUPS)
    for card in voting.results(voting.latest_round(room.workshop_id), _workshop(room))["cards"]:
        assert [group["name"] for group in card["groups"]] == list(GROUPS)
