"""A phone's first load in Chromium, as a person in the room does it: the QR code's link, the
consent page, then the live phone page until it is usable, on a slow phone and a weak signal.

    .venv/bin/python -m bench.phone_load            # 3 runs each way, 30 ideas on the screen
    .venv/bin/python -m bench.phone_load --repeat 5 --ideas 60

Each run is a fresh browser context (nothing cached), three ways (ACCEPT below): Brotli, gzip
only, and `Accept-Encoding: identity` (what every phone got before coprod compressed). The
network is throttled through the Chrome DevTools Protocol (1.6 Mbit/s down, 750 kbit/s up,
150 ms latency: "slow 3G"-like) and the CPU slowed 4x. Figures: bytes over the wire (CDP
`encodedDataLength`, headers included; HTTP only, the live socket's frames apart), requests,
and seconds until each page is usable. A benchmark, not a test: results go to
bench/results/phone-load.json and docs/performance.md.
"""

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from coprod.domain.actors import Actor
from coprod.extensions import db
from coprod.models import Workshop
from coprod.services import cards
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.conftest import app_on
from tests.factories import join, make_user, make_workshop, set_phase
from tests.support.databases import start_databases
from tests.support.live_server import LiveServer
from tests.support.rooms import statement_plan

RESULTS = Path(__file__).resolve().parent / "results"
SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
                "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
# What the browser offers: Chromium's own choice (br on 127.0.0.1, a secure context), only gzip
# (what it offers a venue's server on a plain-http address), and nothing (as before compression).
ACCEPT = {"br": None, "gzip": "gzip, deflate", "uncompressed": "identity"}


def _arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.phone_load")
    parser.add_argument("--repeat", type=int, default=3, help="runs each way")
    parser.add_argument("--ideas", type=int, default=30, help="ideas on the screen")
    parser.add_argument("--name", default="phone-load", help="bench/results/<name>.json")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Serve a workshop in the contribute phase and load a phone into it, both ways."""
    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="coprod-phone-load-") as folder:
        databases = start_databases(Path(folder))
        url = databases.fresh()
        code = _workshop(url, args.ideas)
        server = LiveServer(url, log_path=Path(folder) / "server.log").start()
        try:
            runs = _measure(server, code, args.repeat)
        finally:
            server.stop()
            databases.stop()
    report = {"machine": f"{platform.processor() or platform.machine()}, "
                         f"{platform.python_version()}", "date": time.strftime("%Y-%m-%d"),
              "ideas": args.ideas, "network": SLOW_NETWORK, "cpu_slowdown": CPU_SLOWDOWN,
              "runs": runs, "summary": {way: _summary(items) for way, items in runs.items()}}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report["summary"], indent=1))
    return 0


def _workshop(url: str, ideas: int) -> str:
    """A workshop collecting ideas, with `ideas` of them on the screen already."""
    with app_on(url):
        owner = make_user("facilitator")
        workshop_id = make_workshop(owner)
        set_phase(owner, workshop_id, "contribute")
        phones = [join(workshop_id, group) for group in ("Staff", "Carer", "Staff")]
        actors = [Actor.participant(phone.id, phone.constituency.name) for phone in phones]
        for number, (_, kind, text, _) in enumerate(statement_plan(ideas)):
            cards.add_card(actors[number % len(actors)], workshop_id, kind, text)
        return db.session.get(Workshop, workshop_id).join_code


def _measure(server: LiveServer, code: str, repeat: int) -> dict:
    runs = {way: [] for way in ACCEPT}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            for way in runs:
                runs[way].append(_first_load(browser, server, code, ACCEPT[way]))
        browser.close()
    return runs


def _first_load(browser, server: LiveServer, code: str, accept: str | None) -> dict:
    context = browser.new_context(**PHONE)
    if accept:
        context.set_extra_http_headers({"Accept-Encoding": accept})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    seen = {"requests": 0, "bytes": 0, "encoded": set()}
    urls = {}
    cdp.on("Network.responseReceived", lambda event: _response(event, urls, seen))
    cdp.on("Network.loadingFinished", lambda event: _finished(event, urls, seen))

    started = time.perf_counter()
    page.goto(f"{server.url}/j/{code}")
    consent_ready = time.perf_counter() - started
    consent = dict(requests=seen["requests"], bytes=seen["bytes"])
    page.get_by_label("Carer", exact=True).check()
    page.get_by_label("I have read this and I want to take part").check()
    joined = time.perf_counter()
    page.get_by_role("button", name="Join the workshop").click()
    expect(page.locator("#connection")).to_have_text("Connected", timeout=60_000)
    expect(page.locator("#cards li").first).to_be_visible(timeout=60_000)
    phone_ready = time.perf_counter() - joined
    context.close()
    return {"consent_s": round(consent_ready, 2), "phone_s": round(phone_ready, 2),
            "consent_requests": consent["requests"], "consent_bytes": consent["bytes"],
            "requests": seen["requests"], "bytes": seen["bytes"],
            "encodings": sorted(seen["encoded"])}


def _response(event: dict, urls: dict, seen: dict) -> None:
    response = event["response"]
    urls[event["requestId"]] = response["url"]
    encoding = {key.lower(): value for key, value in response["headers"].items()}.get(
        "content-encoding")
    if encoding:
        seen["encoded"].add(encoding)


def _finished(event: dict, urls: dict, seen: dict) -> None:
    if "/socket.io/" in urls.get(event["requestId"], "/socket.io/"):
        return  # the live connection's polling fallback (if any) is not part of the page load
    seen["requests"] += 1
    seen["bytes"] += int(event["encodedDataLength"])


def _summary(items: list[dict]) -> dict:
    return {"requests": items[0]["requests"], "kilobytes": round(items[0]["bytes"] / 1024, 1),
            "consent_kilobytes": round(items[0]["consent_bytes"] / 1024, 1),
            "consent_s_median": statistics.median(item["consent_s"] for item in items),
            "phone_s_median": statistics.median(item["phone_s"] for item in items),
            "encodings": items[0]["encodings"]}


if __name__ == "__main__":
    raise SystemExit(main())
