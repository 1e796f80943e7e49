"""The bare baseline: a python-socketio server doing the least the protocol needs.

Same async server as coprod (COPROD_ASYNC_MODE), same URLs, events and acknowledgements, but no
database, no audit trail, no access checks: it counts votes in memory and sends the projector
the totals at most ten times a second. coprod's figures are read as ratios to this one's.

    python -m bench.baseline   (COPROD_PORT, COPROD_ASYNC_MODE, COPROD_MAX_CONNECTIONS)
"""

import os

MODE = os.environ.get("COPROD_ASYNC_MODE", "eventlet")
if MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import itertools  # noqa: E402
import re  # noqa: E402
from collections import Counter  # noqa: E402
from http.cookies import SimpleCookie  # noqa: E402
from urllib.parse import parse_qs  # noqa: E402

import socketio  # noqa: E402

TICK = 0.1
FORM = ('<form method="post"><input type="hidden" name="csrf_token" value="{token}">'
        '<input name="consent"><select name="constituency"></select></form>')

sio = socketio.Server(async_mode=MODE, async_handlers=False, ping_interval=20, ping_timeout=40)
numbers = itertools.count(1)
state = {"cards": [], "votes": {}, "done": {}, "changes": 0, "sent": 0, "round": None}


def http_app(environ, start_response):
    """The join pages: a form with a CSRF token, and a post that sets the phone's cookie."""
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    if re.fullmatch(r"/j/\w+", path) and method == "POST":
        form = parse_qs(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode())
        if form.get("csrf_token") != ["bare"] or form.get("consent") != ["y"]:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"refused"]
        start_response("302 Found", [("Location", "/p" + path[2:]),
                                     ("Set-Cookie", f"phone={next(numbers)}; Path=/; HttpOnly")])
        return [b""]
    start_response("200 OK", [("Content-Type", "text/html")])
    return [FORM.format(token="bare").encode()]


@sio.on("connect")
def connect(sid, environ, auth):
    view = (auth or {}).get("view")
    cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    phone = int(cookie["phone"].value) if "phone" in cookie else None
    if view == "phone" and phone is None:
        raise socketio.exceptions.ConnectionRefusedError({"code": "forbidden"})
    sio.save_session(sid, {"view": view, "phone": phone})
    sio.enter_room(sid, {"phone": "phones", "projector": "projector"}.get(view, "staff"))


@sio.on("sync")
def sync(sid, payload=None):
    me = sio.get_session(sid)
    return {"ok": True, "state": {"seq": 0, "me": {"pseudonym": f"Participant {me['phone']}"}}}


def once(sid, payload: dict, perform):
    # The same idempotency promise as coprod: a resent client id gets the first answer.
    key = (sio.get_session(sid)["phone"], payload["cid"])
    if key in state["done"]:
        return {**state["done"][key], "repeat": True}
    state["done"][key] = perform(key[0])
    return state["done"][key]


@sio.on("card:add")
def add_card(sid, payload):
    def perform(phone):
        state["cards"].append(len(state["cards"]) + 1)
        return {"ok": True, "card": {"id": state["cards"][-1], "text": payload["text"]}}
    return once(sid, payload, perform)


@sio.on("phase:set")
def set_phase(sid, payload):
    return {"ok": True, "workshop": payload}


@sio.on("round:open")
def open_round(sid, payload):
    state["round"] = {"id": (state["round"] or {}).get("id", 0) + 1, "card_ids": state["cards"]}
    state["votes"] = {}
    return {"ok": True, "round": state["round"]}


@sio.on("round:close")
def close_round(sid, payload):
    return {"ok": True, "round": state["round"]}


@sio.on("vote:set")
def cast_vote(sid, payload):
    def perform(phone):
        mine = state["votes"].setdefault(phone, {})
        mine[payload["card_id"]] = payload["value"] or 0
        state["changes"] += 1
        return {"ok": True, "votes": {"votes": {str(card): value for card, value in mine.items()}},
                "audit_seq": state["changes"]}
    return once(sid, payload, perform)


@sio.on("round:reveal")
def reveal(sid, payload):
    results = {"cards": totals(), "stored": len(state["done"])}
    sio.emit("events", {"events": [{"name": "results.revealed", "seq": None,
                                    "data": {"results": results}}]}, to="phones")
    return {"ok": True, "results": results}


def totals() -> list[dict]:
    dots = Counter()
    for mine in state["votes"].values():
        dots.update(mine)
    return [{"card_id": card, "dots": dots[card]} for card in sorted(dots)]


def projector_loop():
    """Send the projector the latest totals at most once a tick, as coprod's notifier does."""
    while True:
        sio.sleep(TICK)
        if state["changes"] != state["sent"]:
            state["sent"] = state["changes"]
            sio.emit("tally", {"as_of": state["sent"], "cards": totals()}, to="projector")


def main() -> None:
    port = int(os.environ.get("COPROD_PORT", "5000"))
    app = socketio.WSGIApp(sio, http_app)
    sio.start_background_task(projector_loop)
    # The same runtime tuning as run.py, so the ratios compare code, not collector settings.
    from coprod.runtime import tune_garbage_collector
    tune_garbage_collector()
    print(f"bare baseline on http://127.0.0.1:{port} ({MODE})", flush=True)
    if MODE == "eventlet":
        from eventlet import wsgi
        wsgi.server(eventlet.listen(("127.0.0.1", port)), app, log_output=False,
                    max_size=int(os.environ.get("COPROD_MAX_CONNECTIONS", "5000")))
    else:
        from gevent import pywsgi
        pywsgi.WSGIServer(("127.0.0.1", port), app, log=None).serve_forever()


if __name__ == "__main__":
    main()
