"""Simulated phones: one asyncio task per phone, speaking the real protocol over WebSocket.

Each phone joins over HTTP (consent page, CSRF token, signed session cookie), opens a
python-socketio AsyncClient with that cookie, sends actions with client ids, keeps every
unacknowledged action and sends it again after reconnecting, exactly as static/js/live.js does.
"""

import asyncio
import random
import re
import time
import uuid

import aiohttp
import socketio

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CONNECT_TIMEOUT = 60


class Phone:
    """One participant's phone: an HTTP session with its own cookies and a live socket."""

    def __init__(self, index: int, base_url: str, workshop_id: int):
        self.index, self.base_url, self.workshop_id = index, base_url, workshop_id
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=120))
        self.sio: socketio.AsyncClient | None = None
        self.number = None  # the participant number from "Participant 7"
        self.last_seq = 0
        self.unacked: dict[str, tuple[str, dict]] = {}
        self.actions: dict[str, dict] = {}  # cid -> what happened to it
        self.revealed_at = None
        self.events_received = 0

    async def join(self, code: str, constituency_id: int) -> None:
        """Read the consent page, then post it with the CSRF token (as a browser would)."""
        url = f"{self.base_url}/j/{code}"
        async with self.http.get(url) as page:
            token = CSRF.search(await page.text()).group(1)
        form = {"csrf_token": token, "consent": "y", "constituency": str(constituency_id)}
        async with self.http.post(url, data=form, allow_redirects=False) as response:
            if response.status != 302:
                raise RuntimeError(f"join refused: {response.status}")

    async def connect(self) -> None:
        """Open the live socket with the session cookie, then catch up with `sync`."""
        self.sio = socketio.AsyncClient(reconnection=False, http_session=self.http)
        self.sio.on("events", self._on_events)
        await self.sio.connect(self.base_url, auth={"workshop": self.workshop_id, "view": "phone"},
                               transports=["websocket"], wait_timeout=CONNECT_TIMEOUT)
        # The first time, ask for the whole state (it says who we are); after that, what we missed.
        known = {} if self.number is None else {"last_seq": self.last_seq}
        reply = await self.sio.call("sync", known, timeout=CONNECT_TIMEOUT)
        state = reply.get("state")
        if state:
            self.last_seq = state["seq"]
            self.number = self.number or _number(state["me"]["pseudonym"])

    async def _on_events(self, message: dict) -> None:
        self.events_received += 1
        for event in message["events"]:
            if event["seq"]:
                self.last_seq = max(self.last_seq, event["seq"])
            if event["name"] == "results.revealed" and self.revealed_at is None:
                self.revealed_at = time.time()

    def send(self, event: str, payload: dict) -> str:
        """Send an action with a fresh client id; keep it until its acknowledgement arrives."""
        cid = uuid.uuid4().hex[:16]
        payload = {"cid": cid, **payload}
        self.unacked[cid] = (event, payload)
        self.actions[cid] = {"event": event, "payload": payload, "sent": time.time(),
                             "acked": None, "ok": None, "audit_seq": None, "resent": 0}
        asyncio.ensure_future(self._emit(cid))
        return cid

    async def _emit(self, cid: str) -> None:
        event, payload = self.unacked[cid]
        sio = self.sio
        if sio is None:
            return  # offline: it stays unacknowledged and is resent after reconnecting

        def acknowledged(reply):
            if sio is self.sio:  # an answer on a dropped connection never arrives in real life
                self._acked(cid, reply)
        try:
            await sio.emit(event, payload, callback=acknowledged)
        except socketio.exceptions.SocketIOError:
            pass  # dropped: it stays unacknowledged and is resent after reconnecting

    def _acked(self, cid: str, reply: dict) -> None:
        record = self.actions.get(cid)
        if record is None:  # answered after its step was collected (over 20 s late): settled now
            self.unacked.pop(cid, None)
            return
        if record["acked"] is not None:
            return
        record.update(acked=time.time(), ok=bool(reply.get("ok")), audit_seq=reply.get("audit_seq"),
                      reply=reply)
        self.unacked.pop(cid, None)

    async def drop_and_return(self, away: float) -> None:
        """Lose the connection abruptly (no goodbye), come back, and resend what was unacked."""
        old, self.sio = self.sio, None
        await old.eio.ws.close()  # the transport dies; the server notices the socket closed
        await asyncio.sleep(away)
        await self.connect()
        for cid in list(self.unacked):
            self.actions[cid]["resent"] += 1
            await self._emit(cid)

    async def close(self) -> None:
        if self.sio and self.sio.connected:
            await self.sio.disconnect()
        await self.http.close()


def _number(pseudonym: str) -> int:
    return int(re.search(r"(\d+)$", pseudonym).group(1))


async def join_storm(phones: list[Phone], code: str, groups: list[int], window: float,
                     started: float) -> list[dict]:
    """Every phone joins at a random moment in the window; returns when each was connected."""
    async def one(phone: Phone) -> dict:
        await asyncio.sleep(max(0.0, started + random.uniform(0, window) - time.time()))
        begun = time.time()
        try:
            await phone.join(code, groups[phone.index % len(groups)])
            await phone.connect()
            return {"begun": begun, "ready": time.time(), "error": None}
        except Exception as error:  # reported, not raised: a failed join is a result
            return {"begun": begun, "ready": None, "error": repr(error)}
    return await asyncio.gather(*(one(phone) for phone in phones))


async def contribute(phones: list[Phone], window: float, started: float) -> None:
    """Each phone adds one card at a random moment in the window and waits for its answer."""
    async def one(phone: Phone) -> None:
        await asyncio.sleep(max(0.0, started + random.uniform(0, window) - time.time()))
        phone.send("card:add", {"kind": random.choice(["responsibility", "competence"]),
                                "text": f"Idea {phone.index}: keeps in touch after discharge",
                                "role_id": None})
    await asyncio.gather(*(one(phone) for phone in phones))
    await settle(phones, 30)


def dot_taps(card_ids: list[int], budget: int, max_per_card: int) -> list[tuple[int, int]]:
    """A person tapping "+" once per dot: [(card, dots now on it), ...] spending the budget."""
    taps, on_card = [], {}
    for card in random.sample(card_ids, min(len(card_ids), budget)):
        while on_card.get(card, 0) < max_per_card and len(taps) < budget:
            on_card[card] = on_card.get(card, 0) + 1
            taps.append((card, on_card[card]))
    return taps


async def vote_burst(phones: list[Phone], churners: set[int], round_id: int, card_ids: list[int],
                     rules: dict, started: float) -> None:
    """Voters start within `start_window`, tap at a person's pace; churners drop mid-burst."""
    async def one(phone: Phone) -> None:
        await asyncio.sleep(max(0.0, started + random.uniform(0, rules["start_window"])
                                - time.time()))
        taps = dot_taps(card_ids, rules["budget"], rules["max_per_card"])
        for number, (card, value) in enumerate(taps):
            phone.send("vote:set", {"round_id": round_id, "card_id": card, "value": value})
            if phone.index in churners and number == len(taps) // 2:
                await phone.drop_and_return(random.uniform(0.3, 1.5))
            await asyncio.sleep(random.uniform(*rules["tap_gap"]))
    await asyncio.gather(*(one(phone) for phone in phones))
    await settle(phones, 60)


async def steady_votes(phones: list[Phone], places: dict[int, float], round_id: int,
                       card_ids: list[int], interval: float, duration: float,
                       started: float) -> None:
    """Each phone votes every `interval` seconds (toggling one dot on and off) for `duration`.

    A phone's first vote comes at its place in the room (`places`: phone index -> 0..1) times
    the interval, so the room together sends at exactly the offered rate. Random first moments
    made the number of votes in a short step itself random: at 50 votes a second from 1,000
    phones (one vote each per 20 s, in a 5 s step) it varied by ±5 %, enough to judge a server
    that answered every vote at once as not keeping up.
    """
    async def one(phone: Phone) -> None:
        card, value = card_ids[phone.index % len(card_ids)], 1
        at = started + interval * places[phone.index]
        while at < started + duration:
            await asyncio.sleep(max(0.0, at - time.time()))
            phone.send("vote:set", {"round_id": round_id, "card_id": card, "value": value})
            value, at = 1 - value, at + interval
    await asyncio.gather(*(one(phone) for phone in phones))


async def settle(phones: list[Phone], timeout: float) -> None:
    """Wait until every action was acknowledged (or the timeout passes)."""
    deadline = time.time() + timeout
    while any(phone.unacked for phone in phones) and time.time() < deadline:
        await asyncio.sleep(0.1)
