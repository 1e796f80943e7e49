"""Malformed input on the live connection gets a clear answer, never a traceback: generated
payloads (nested, huge numbers, lone surrogates, wrong types, extra keys, nulls, long text) go to
every event in docs/protocol.md's table (read from the doc, so a new event is fuzzed as soon as
it is documented), from a facilitator's console and from a phone, and as raw packets that are
not JSON at all. No server error, nothing logged at ERROR, and the audit trail still verifies."""

import json
import logging
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod.realtime.payloads import SCHEMAS
from coprod.realtime.server import MAX_DEPTH, MAX_MESSAGE_BYTES, socketio
from coprod.services import audit

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
HUGE = 10**30


def documented_events() -> list[str]:
    """The events in the protocol's "Events from clients" table (its first table)."""
    section = PROTOCOL.read_text().split("## Events from clients", 1)[1]
    table = re.search(r"(?:^\|.*\n)+", section, flags=re.MULTILINE).group()
    return re.findall(r"^\| `([^`]+)` \|", table, flags=re.MULTILINE)


EVENTS = documented_events()

lone_surrogate = st.integers(0xD800, 0xDFFF).map(chr)
text = st.one_of(st.text(max_size=40),
                 st.lists(st.one_of(st.characters(), lone_surrogate), max_size=20).map("".join),
                 st.integers(2001, 70_000).map(lambda n: "A" * n))
numbers = st.one_of(st.integers(-5, 50), st.integers(-HUGE, HUGE),
                    st.sampled_from([0, -1, 2**31 - 1, 2**31, 2**63, -(2**63), HUGE]),
                    st.floats(allow_nan=False), st.booleans())
leaves = st.one_of(st.none(), numbers, text)
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def nested(depth: int):
    value = {"card_id": 1}
    for _ in range(depth):
        value = {"a": [value]}
    return value


def shaped_like(event: str):
    """A payload with the event's own fields (so checks past the schema are reached too), each
    given any value, sometimes with a field too many."""
    fields = list(SCHEMAS.get(event, {}).get("properties", {})) or ["card_id"]
    known = st.fixed_dictionaries({}, optional={field: st.one_of(values, numbers) for field in fields})
    return st.one_of(known, known.map(lambda payload: {**payload, "extra": 1}))


def payloads(event: str):
    return st.one_of(shaped_like(event), values,
                     st.integers(MAX_DEPTH // 2, 4 * MAX_DEPTH).map(nested))


@st.composite
def messages(draw):
    event = draw(st.sampled_from(EVENTS))
    return event, draw(payloads(event))


def test_the_protocol_table_lists_every_event_a_page_sends():
    assert {"sync", "card:add", "vote:set", "outline:change", "phase:set"} <= set(EVENTS)
    assert set(EVENTS) <= set(SCHEMAS)  # every documented event has a schema


class Connections:
    """A console and a phone in one room, reconnected (or in a new room) when a fuzzed event
    closed the phase or removed the phone."""

    def __init__(self, app, make_room):
        self.app, self.make_room = app, make_room
        self.room = make_room(app)
        self.clients = {}

    def client(self, view: str):
        client = self.clients.get(view)
        if client is None or not client.is_connected():
            client = self.room.phone() if view == "phone" else self.room.staff()
            if not client.is_connected():  # the room was closed or locked: start another
                self.room = self.make_room(self.app)
                client = self.room.phone() if view == "phone" else self.room.staff()
            self.clients[view] = client
        client.get_received()
        return client


def server_trouble(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.fixture
def connections(app):
    from .conftest import Room
    return Connections(app, Room)


def check_answer(ack, event, payload) -> None:
    assert ack is not None, (event, payload)  # every event is answered
    assert ack["ok"] in (True, False), ack
    if not ack["ok"]:
        assert ack["error"]["code"] != "server_error", (event, payload, ack)
        assert ack["error"]["message"].endswith("."), ack


@pytest.mark.parametrize("view", ["console", "phone"])
def test_generated_payloads_get_clear_answers_from_every_event(connections, caplog, view):
    caplog.set_level(logging.WARNING)
    answers = Counter()

    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(messages())
    def send(message):
        event, payload = message
        ack = connections.client(view).emit(event, payload, callback=True)
        check_answer(ack, event, payload)
        assert not server_trouble(caplog), (event, payload)
        answers[event, "ok" if ack["ok"] else ack["error"]["code"]] += 1

    send()
    assert all(check.ok for check in audit.verify_all())
    # The fuzzing reached past the schemas: some events were answered by their services.
    assert len({event for event, _ in answers}) > len(EVENTS) // 2
    assert {code for _, code in answers} - {"invalid"}, answers


def test_unreadable_packets_are_answered_and_the_connection_carries_on(connections, caplog):
    """What a page never sends but a script can: JSON too deep, not JSON, not an event."""
    caplog.set_level(logging.WARNING)
    phone = connections.client("phone")

    @settings(max_examples=120, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(
        st.text(max_size=60),
        st.integers(MAX_DEPTH + 1, 20_000).map(lambda n: "[" * n + "]" * n),
        st.integers(MAX_DEPTH + 1, 20_000).map(lambda n: '["sync",' + "{\"a\":" * n + "1"
                                               + "}" * n + "]"),
        st.sampled_from(['{"not": "an event"}', "[]", "[1, 2]", '"sync"', "[NaN]",
                         '["sync", {"last_seq": 1' + "0" * 40 + "}]", '["sync", Infinity]'])))
    def send(raw):
        phone.acks = None
        socketio.server._handle_eio_message(phone.eio_sid, "2" + "7" + raw)  # event, ack id 7
        ack = phone.acks and phone.acks["args"][0]
        if ack is not None:
            check_answer(ack, "raw", raw)
        assert not server_trouble(caplog), raw

    send()
    for raw in ("9whatever", "4\"an error\"", "2{}"):  # packet types a client never sends
        socketio.server._handle_eio_message(phone.eio_sid, raw)
    assert not server_trouble(caplog)
    assert phone.emit("sync", {}, callback=True)["ok"] is True  # still connected, still served


def test_a_message_nested_too_deep_is_refused_kindly_and_others_carry_on(connections, caplog):
    phone, console = connections.client("phone"), connections.client("console")
    ack = phone.emit("card:add", nested(MAX_DEPTH + 5), callback=True)
    assert ack == {"ok": False, "error": {
        "code": "invalid",
        "message": "We could not read that request. Please reload the page and try again."}}
    assert "nested deeper than 32 levels" in caplog.text
    assert console.emit("sync", {}, callback=True)["ok"] is True
    assert phone.emit("card:add", {"cid": "cid-after-deep", "kind": "responsibility",
                                   "text": "Still listening"}, callback=True)["ok"] is True


def test_messages_over_the_size_limit_are_refused_before_they_are_read(app):
    """Both transports stop at MAX_MESSAGE_BYTES: long-polling refuses a longer body (engine.io
    answers 400 and closes that connection), a WebSocket stops reading the message and closes.
    (Through the test client a refused poll would wait for the browser's next poll, so the
    limits are checked where they are set.)"""
    eio = socketio.server.eio
    assert eio.max_http_buffer_size == MAX_MESSAGE_BYTES == 64 * 1024
    websocket = eio._async["websocket"]
    assert websocket.keywords == {"max_message_size": MAX_MESSAGE_BYTES}
    honest = json.dumps(["outline:change", {"role_id": 2**31 - 1, "base_version": 2**31 - 1,
                                            "operation": {"kind": "add_text",
                                                          "section": "responsibilities",
                                                          "text": "\u00e9" * 2000}}])
    assert len(honest.encode()) * 4 < MAX_MESSAGE_BYTES  # the largest a page sends, with room
