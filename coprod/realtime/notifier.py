"""Sends committed changes to the right rooms, batched and coalesced.

Broadcasting is the cost that grows fastest (receivers x updates), so room-wide events are
collected per workshop and sent as one "events" message per tick: every tick to consoles and the
projector, and at a slower pace to phones unless something urgent (a phase change) is waiting.
Counts and tallies are never sent per change: a change marks them stale and the next tick sends
the latest state once.
"""

import logging
import threading
import time
from collections import defaultdict

from ..services.events import AccessEnded, Audience, Event, Refresh
from . import rooms
from .sessions import end_access

log = logging.getLogger(__name__)

# Events everyone waits for: sent to every room as soon as they are committed, not at a tick.
URGENT = {"phase.changed", "round.opened", "round.closed", "results.revealed", "countdown.set"}
# Events that repeat the sender's own acknowledgement for the person's other open tabs.
ECHOES = {"votes.mine"}
IDLE_SECONDS = 10  # the background loop ends after this long with nothing to send


class Notifier:
    """Collects events after each commit and sends them from one background loop."""

    def __init__(self, socketio, app, refreshers: dict):
        self.socketio = socketio
        self.app = app
        self.refreshers = refreshers  # what -> fn(workshop_id) -> [(event name, payload, room)]
        self.tick = app.config["STAFF_TICK"]
        self.phone_interval = app.config["PHONE_BATCH_INTERVAL"]
        self._lock = threading.Lock()
        self._room_events = defaultdict(list)  # workshop -> EVERYONE events not yet sent anywhere
        self._phone_events = defaultdict(list)  # workshop -> EVERYONE events not yet on phones
        self._staff_events = defaultdict(list)
        self._projector_events = defaultdict(list)  # workshop -> events for projector and staff
        self._stale = set()  # (workshop, what)
        self._urgent_phones = set()
        self._last_phone_flush = defaultdict(float)
        self._running = False
        self._last_activity = 0.0
        # Held while room events are taken and sent, so two senders never swap their order.
        self._sending = threading.Lock()

    def publish(self, events: list) -> None:
        """Take the events of one committed unit of work (called right after the commit)."""
        # Access that ended ends first: those screens must not get this change's broadcasts.
        # Why is sent as a key: each screen says it in its own language.
        for ended in [event for event in events if isinstance(event, AccessEnded)]:
            end_access(rooms.of(ended.whose, ended.ids), ended.notice, ended.reason)
        events = [event for event in events if not isinstance(event, AccessEnded)]
        if not events:
            return
        personal, urgent = [], False
        with self._lock:
            for event in events:
                if isinstance(event, Refresh):
                    self._stale.add((event.workshop_id, event.what))
                elif event.audience == Audience.EVERYONE:
                    self._room_events[event.workshop_id].append(event)
                    self._phone_events[event.workshop_id].append(event)
                    if event.name in URGENT:
                        self._urgent_phones.add(event.workshop_id)
                        urgent = True
                elif event.audience == Audience.STAFF:
                    self._staff_events[event.workshop_id].append(event)
                elif event.audience == Audience.PROJECTOR:
                    self._projector_events[event.workshop_id].append(event)
                else:
                    personal.append(event)
            self._last_activity = time.monotonic()
            start = not self._running and self.app.config["LIVE_LOOP"]
            self._running = self._running or start
        for event in personal:
            room = _room_for(event)
            if event.name not in ECHOES or self._other_tabs_may_listen(room):
                self._emit_events(room, [event])
        if urgent:  # a phase change or a reveal goes out now, with what is queued before it
            self._send_events()
        if start:
            self.socketio.start_background_task(self._loop)

    def _other_tabs_may_listen(self, room: str) -> bool:
        # With one worker, a room whose only socket is the sender's has no other tab to tell
        # (and skipping the echo halves the messages of a vote burst). Behind a message queue
        # the person's other tabs may be on another worker, so the echo always goes.
        if self.app.config["MESSAGE_QUEUE"]:
            return True
        manager = self.socketio.server.manager
        return len(list(manager.get_participants(rooms.NAMESPACE, room))) > 1

    def _loop(self) -> None:
        while True:
            self.socketio.sleep(self.tick)
            with self._lock:
                if (not self._has_work() and
                        time.monotonic() - self._last_activity > IDLE_SECONDS):
                    self._running = False
                    return
            try:
                self.flush()
            except Exception:  # the loop must survive one bad tick; the next one resends state
                log.exception("live update tick failed")

    def _has_work(self) -> bool:
        return bool(self._room_events or self._phone_events or self._staff_events
                    or self._projector_events or self._stale)

    def flush(self, force_phones: bool = False) -> None:
        """Send everything that is due now (the loop calls this every tick; tests call it too)."""
        self._send_events(force_phones)
        with self._lock:
            stale, self._stale = self._stale, set()
        if stale:
            self._send_refreshed(stale)

    def _send_events(self, force_phones: bool = False) -> None:
        with self._sending:
            self._send_due_events(force_phones)

    def _send_due_events(self, force_phones: bool) -> None:
        # Call with `_sending` held.
        now = time.monotonic()
        with self._lock:
            room_events, self._room_events = self._room_events, defaultdict(list)
            staff_events, self._staff_events = self._staff_events, defaultdict(list)
            projector_events, self._projector_events = self._projector_events, defaultdict(list)
            phone_due = {workshop for workshop in self._phone_events
                         if force_phones or workshop in self._urgent_phones
                         or now - self._last_phone_flush[workshop] >= self.phone_interval}
            phone_events = {workshop: self._phone_events.pop(workshop) for workshop in phone_due}
            self._urgent_phones -= phone_due
            for workshop in phone_due:
                self._last_phone_flush[workshop] = now
        for workshop in set(room_events) | set(projector_events):
            self._emit_events(rooms.projector(workshop), _in_order(
                room_events.get(workshop, []) + projector_events.get(workshop, [])))
        for workshop in set(room_events) | set(projector_events) | set(staff_events):
            self._emit_events(rooms.staff(workshop), _in_order(
                room_events.get(workshop, []) + projector_events.get(workshop, [])
                + staff_events.get(workshop, [])))
        for workshop, events in phone_events.items():
            self._emit_events(rooms.phones(workshop), events, for_phones=True)

    def _send_refreshed(self, stale: set) -> None:
        with self.app.app_context():
            for workshop, what in sorted(stale):
                for name, payload, room in self.refreshers[what](workshop):
                    self.socketio.emit(name, payload, to=room)

    def _emit_events(self, room: str, events: list[Event], for_phones: bool = False) -> None:
        batch = [{"name": event.name, "seq": event.seq,
                  "data": event.phone_payload if for_phones and event.phone_payload else event.payload}
                 for event in events]
        self.socketio.emit("events", {"events": batch}, to=room)


def _in_order(events: list[Event]) -> list[Event]:
    # Room-wide events keep their sequence order; staff-only ones (no seq) follow in arrival order.
    return sorted(events, key=lambda event: (event.seq is None, event.seq or 0))


def _room_for(event: Event) -> str:
    kind, _colon, ident = event.audience.partition(":")
    if kind == "participant":
        return rooms.participant(int(ident))
    raise ValueError(f"unknown audience {event.audience}")
