"""Simulated phones: one asyncio task per phone, speaking the real protocol over WebSocket.

Each phone joins over HTTP (consent page, CSRF token, signed session cookie), opens a
python-socketio AsyncClient with that cookie, sends actions with client ids, keeps every
unacknowledged action and sends it again after reconnecting, exactly as static/js/live.js does.

Every random choice (join moments, cards, taps, drops) comes from a generator seeded by the run's
seed, the phase and the phone's index, so two runs with the same seed do the same things.
"""

import asyncio
import random
import re
import time
import uuid

import aiohttp
import socketio
from yarl import URL

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CONNECT_TIMEOUT = 60
# A phone never gives up on a slow join: a refused, reset or timed-out connection (or a proxy
# that could not reach a worker) is tried again after a growing pause, as the phone's page
# would, until this many seconds after it began. A request the server has (or may have) begun
# is never sent again only because it is slow: a consent post sent twice is a second
# participant, so a slow answer is waited for, up to the deadline.
JOIN_DEADLINE = 60.0
CONNECTING_TIMEOUT = 10.0  # to open a TCP connection for a page or a post (nothing sent yet)
SOCKET_ATTEMPT = 20.0  # to open the live socket and have the first sync answered (safe to redo)
FIRST_PAUSE, LONGEST_PAUSE = 0.5, 8.0
GATEWAY_ERRORS = {502, 503, 504}  # nginx could not reach a worker in time: worth another try
# Lets a proxy keep each phone on one worker (bench/targets.py, the cluster); harmless elsewhere.
STICKY_COOKIE = "bench_phone"


class JoinRefused(RuntimeError):
    """The server answered a join step with an unexpected status."""

    def __init__(self, step: str, status: int):
        super().__init__(f"{step} answered {status}")
        self.status = status


def _worth_retrying(error: Exception) -> bool:
    # A total timeout on a page or post only comes at the deadline, so it is never retried.
    if isinstance(error, JoinRefused):
        return error.status in GATEWAY_ERRORS
    return isinstance(error, (aiohttp.ClientConnectionError, asyncio.TimeoutError, OSError,
                              socketio.exceptions.ConnectionError,
                              socketio.exceptions.TimeoutError))


class Phone:
    """One participant's phone: an HTTP session with its own cookies and a live socket."""

    def __init__(self, index: int, base_url: str, workshop_id: int):
        self.index, self.base_url, self.workshop_id = index, base_url, workshop_id
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=120))
        self.http.cookie_jar.update_cookies({STICKY_COOKIE: str(index)}, URL(base_url))
        self.sio: socketio.AsyncClient | None = None
        self.number = None  # the participant number from "Participant 7"
        self.last_seq = 0
        self.unacked: dict[str, tuple[str, dict]] = {}
        self.actions: dict[str, dict] = {}  # cid -> what happened to it
        self.revealed_at = None
        self.events_received = 0
        self.sweep_dot = None  # (round, card) where the sweep left this phone's one dot

    async def enter(self, code: str, constituency_id: int, rng: random.Random) -> int:
        """Join and go live, trying again after a pause when the server could not be reached
        (see JOIN_DEADLINE); returns how many times it tried again."""
        deadline, retries, joined = time.time() + JOIN_DEADLINE, 0, False
        while True:
            try:
                if not joined:
                    await self.join(code, constituency_id, deadline)
                    joined = True
                await asyncio.wait_for(self.connect(),
                                       max(0.1, min(SOCKET_ATTEMPT, deadline - time.time())))
                return retries
            except Exception as error:
                pause = min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** retries) * rng.uniform(0.5, 1.0)
                if not _worth_retrying(error) or time.time() + pause > deadline:
                    raise
                retries += 1
                await self._forget_socket()
                await asyncio.sleep(pause)

    async def _forget_socket(self) -> None:
        old, self.sio = self.sio, None
        if old is not None:
            try:
                await old.disconnect()
            except Exception:  # a half-open socket from a failed attempt: nothing to keep
                pass

    async def join(self, code: str, constituency_id: int, deadline: float | None = None) -> None:
        """Read the consent page, then post it with the CSRF token (as a browser would)."""
        url = f"{self.base_url}/j/{code}"
        timeout = aiohttp.ClientTimeout(
            total=None if deadline is None else max(0.1, deadline - time.time()),
            sock_connect=CONNECTING_TIMEOUT)
        async with self.http.get(url, timeout=timeout) as page:
            if page.status != 200:
                raise JoinRefused("the consent page", page.status)
            token = CSRF.search(await page.text()).group(1)
        form = {"csrf_token": token, "consent": "y", "constituency": str(constituency_id)}
        async with self.http.post(url, data=form, allow_redirects=False,
                                  timeout=timeout) as response:
            if response.status != 302:
                raise JoinRefused("the consent post", response.status)

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


def seeded(seed, phase: str, phone: Phone) -> random.Random:
    """This phone's own generator for one phase of the run."""
    return random.Random(f"{seed}:{phase}:{phone.index}")


async def join_storm(phones: list[Phone], code: str, groups: list[int], window: float,
                     started: float, seed: int) -> list[dict]:
    """Every phone joins at a random moment in the window; returns when each was connected
    (`begun` is its first attempt, `ready` its first sync answered) and how often it retried."""
    async def one(phone: Phone) -> dict:
        rng = seeded(seed, "join", phone)
        await asyncio.sleep(max(0.0, started + rng.uniform(0, window) - time.time()))
        begun = time.time()
        try:
            retries = await phone.enter(code, groups[phone.index % len(groups)], rng)
            return {"begun": begun, "ready": time.time(), "error": None, "retries": retries}
        except Exception as error:  # reported, not raised: a failed join is a result
            return {"begun": begun, "ready": None, "error": repr(error), "retries": 0}
    return await asyncio.gather(*(one(phone) for phone in phones))


async def contribute(phones: list[Phone], window: float, started: float, seed: int) -> None:
    """Each phone adds one card at a random moment in the window and waits for its answer."""
    async def one(phone: Phone) -> None:
        rng = seeded(seed, "contribute", phone)
        await asyncio.sleep(max(0.0, started + rng.uniform(0, window) - time.time()))
        phone.send("card:add", {"kind": rng.choice(["responsibility", "competence"]),
                                "text": f"Idea {phone.index}: keeps in touch after discharge",
                                "role_id": None})
    await asyncio.gather(*(one(phone) for phone in phones))
    await settle(phones, 30)


def dot_taps(card_ids: list[int], budget: int, max_per_card: int,
             rng: random.Random) -> list[tuple[int, int]]:
    """A person tapping "+" once per dot: [(card, dots now on it), ...] spending the budget."""
    taps, on_card = [], {}
    for card in rng.sample(card_ids, min(len(card_ids), budget)):
        while on_card.get(card, 0) < max_per_card and len(taps) < budget:
            on_card[card] = on_card.get(card, 0) + 1
            taps.append((card, on_card[card]))
    return taps


async def vote_burst(phones: list[Phone], churners: set[int], round_id: int, card_ids: list[int],
                     rules: dict, started: float, seed: int) -> None:
    """Voters start within `start_window`, tap at a person's pace; churners drop mid-burst."""
    async def one(phone: Phone) -> None:
        rng = seeded(seed, "burst", phone)
        await asyncio.sleep(max(0.0, started + rng.uniform(0, rules["start_window"])
                                - time.time()))
        taps = dot_taps(card_ids, rules["budget"], rules["max_per_card"], rng)
        for number, (card, value) in enumerate(taps):
            phone.send("vote:set", {"round_id": round_id, "card_id": card, "value": value})
            if phone.index in churners and number == len(taps) // 2:
                await phone.drop_and_return(rng.uniform(0.3, 1.5))
            await asyncio.sleep(rng.uniform(*rules["tap_gap"]))
    await asyncio.gather(*(one(phone) for phone in phones))
    await settle(phones, 60)


async def steady_votes(phones: dict[int, Phone], plan: list[tuple[float, int]], round_id: int,
                       card_ids: list[int], started: float, seed: str) -> None:
    """Send the sweep step's votes: each (offset, phone index) of `plan` at `started` + offset.

    The plan (bench/sweep.py, `schedule`) fixes how many votes go out and when; each phone
    toggles one dot: on a card its seeded generator picks, then off again, so it never runs out
    of dots however many votes the step asks of it.
    """
    offsets: dict[int, list[float]] = {}
    for offset, index in plan:
        offsets.setdefault(index, []).append(offset)

    async def one(phone: Phone, moments: list[float]) -> None:
        rng = seeded(seed, "sweep", phone)
        for offset in sorted(moments):
            await asyncio.sleep(max(0.0, started + offset - time.time()))
            if phone.sweep_dot and phone.sweep_dot[0] == round_id:
                card, value, phone.sweep_dot = phone.sweep_dot[1], 0, None
            else:
                card, value = rng.choice(card_ids), 1
                phone.sweep_dot = (round_id, card)
            phone.send("vote:set", {"round_id": round_id, "card_id": card, "value": value})
    await asyncio.gather(*(one(phones[index], moments) for index, moments in offsets.items()))


async def settle(phones: list[Phone], timeout: float) -> None:
    """Wait until every action was acknowledged (or the timeout passes)."""
    deadline = time.time() + timeout
    while any(phone.unacked for phone in phones) and time.time() < deadline:
        await asyncio.sleep(0.1)
