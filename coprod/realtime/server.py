"""The Socket.IO server object, created unbound here and bound to the app in create_app.

It lives with the live-update code, not with the other extensions, so nothing below the
transports (services, models, the domain) can reach it: services publish events and the
notifier sends them.

What a client sends is bounded before it is decoded: a message may be up to MAX_MESSAGE_BYTES
(the largest honest one, an outline change with a 2,000-character line, is under 10 KB) and
nested up to MAX_DEPTH levels (the deepest honest one has 5). A message too big closes that
connection (the engine.io transports refuse it before reading it all); one too deep, not JSON
at all, or not shaped like an event is answered with an `invalid` acknowledgement. Neither
reaches a handler, and no other client notices.
"""

import functools
import itertools
import json
import logging
import re

from flask_socketio import SocketIO
from socketio import packet

from ..domain.errors import InvalidInput
from ..domain.i18n import Message
from .payloads import NOT_UNDERSTOOD

MAX_MESSAGE_BYTES = 64 * 1024
MAX_DEPTH = 32
MAX_INTEGER_DIGITS = 20  # the database's ids fit in 10; Python's int() is slow on huge ones
UNREADABLE = "coprod:unreadable"  # the event an unreadable message becomes

log = logging.getLogger(__name__)


class TooDeep(ValueError):
    """A JSON text nested deeper than MAX_DEPTH (a ValueError, as engine.io expects)."""


# Read without decoding, mostly at C speed: drop the strings (brackets in them nest nothing),
# turn each opening bracket into +1 and each closing one into -1 (every other byte dropped; UTF-8
# keeps ASCII bytes whole), and the deepest running sum is the depth.
# A string runs to its closing quote or, unclosed, to the end: every quote is read once.
_STRING = re.compile(r'"[^"\\]*(?:\\[\s\S]?[^"\\]*)*(?:"|\Z)')
_AS_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def nests_deeper_than(text: str, limit: int) -> bool:
    """Whether a JSON text nests arrays and objects more than `limit` levels deep, read without
    decoding it."""
    steps = _STRING.sub("", text).encode("utf-8", "surrogatepass")
    steps = steps.translate(_AS_STEPS, _NOT_BRACKETS)
    if b"\x01" * (limit + 1) in steps:  # the usual attack, [[[[...: found at once
        return True
    return max(itertools.accumulate(memoryview(steps).cast("b")), default=0) > limit


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError("integer too long")
    return int(digits)


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")  # NaN and Infinity: Python's json takes them


# One decoder, made once: json.loads with options would build a new one for every message.
_DECODER = json.JSONDecoder(parse_int=_bounded_int, parse_constant=_not_json)


def _as_text(value):
    if isinstance(value, Message):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class BoundedJSON:
    """The json module Socket.IO decodes with: json.loads, refusing deep nesting before it
    recurses (a RecursionError would otherwise end the handler), integers of huge length, and
    NaN and Infinity."""

    @staticmethod
    def dumps(value, **kwargs):
        """Encode as json.dumps does; marked words go as text in the reader's language."""
        return json.dumps(value, default=_as_text, **kwargs)

    @staticmethod
    def loads(text, **kwargs):
        """Decode JSON text, or raise ValueError if it nests deeper than MAX_DEPTH."""
        sample = text if isinstance(text, str) else text.decode("utf-8", "replace")
        # Cheap first: a text with few brackets cannot nest deeply (a vote has two). Only one
        # with many has its brackets read, outside its strings.
        if sample.count("[") + sample.count("{") > MAX_DEPTH and \
                nests_deeper_than(sample, MAX_DEPTH):
            raise TooDeep(f"nested deeper than {MAX_DEPTH} levels")
        return _DECODER.decode(sample) if not kwargs else json.loads(sample, **kwargs)


class BoundedPacket(packet.Packet):
    """A Socket.IO packet whose unreadable payload becomes the UNREADABLE event, answered with a
    kind refusal, instead of an exception that would leave the sender waiting for an answer."""

    json = BoundedJSON

    def decode(self, encoded_packet):
        """Decode as Socket.IO does; anything unreadable is marked, never raised."""
        try:
            attachments = super().decode(encoded_packet)
        except (ValueError, TypeError, RecursionError) as error:
            return self._unreadable(f"not readable: {str(error)[:80]}")
        if self.packet_type not in _FROM_CLIENTS:
            return self._unreadable("a packet type clients do not send")
        if self.packet_type == packet.EVENT and not _is_event(self.data):
            return self._unreadable("not an event")
        return attachments

    def _unreadable(self, why: str) -> int:
        log.warning("socket message refused, %s", why)
        if self.packet_type not in (packet.CONNECT, packet.DISCONNECT, packet.ACK):
            self.packet_type = packet.EVENT
        self.data = [UNREADABLE] if self.packet_type == packet.EVENT else None
        return 0


_FROM_CLIENTS = (packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK, packet.BINARY_EVENT,
                 packet.BINARY_ACK)


def _is_event(data) -> bool:
    return isinstance(data, list) and bool(data) and isinstance(data[0], str)


class BoundedSocketIO(SocketIO):
    """Flask-SocketIO with the message size also applied while a WebSocket message is read."""

    def init_app(self, app, **kwargs):
        """Bind to the app, then bound WebSocket messages (engine.io checks their size only once
        a whole message has been read; simple-websocket can stop reading at the limit)."""
        super().init_app(app, **kwargs)
        eio = self.server.eio
        websocket = eio._async.get("websocket")
        if getattr(websocket, "__name__", "") == "SimpleWebSocketWSGI":
            eio._async = {**eio._async, "websocket": functools.partial(
                websocket, max_message_size=MAX_MESSAGE_BYTES)}


socketio = BoundedSocketIO(max_http_buffer_size=MAX_MESSAGE_BYTES, json=BoundedJSON,
                           serializer=BoundedPacket)


@socketio.on(UNREADABLE)
def unreadable(*_payload):
    """Answer a message that could not be read (too deep, not JSON, not an event)."""
    return {"ok": False, "error": InvalidInput(NOT_UNDERSTOOD).as_dict()}
