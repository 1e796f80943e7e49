"""The sweep: steady vote rates, rising, to find the highest one a server keeps up with.

Each step is judged on what the phones actually sent, not on what was asked of them: a server
is not to blame for votes that were never sent, and a load generator that could not send at
the offered rate says nothing about the server (the step is invalid, not failed). A failing
step is run once more before it counts, because one noisy step on a shared machine must not end
the sweep; once a rate is lost, the sweep halves the gap to the last rate held.
"""

from .stats import percentiles

DRIVEN = 0.95  # the phones must send at least this share of the offered rate, or the step is void
KEEPING_PACE = 0.90  # acknowledgements must come at this share of the rate the votes went out
PROJECTOR_P95 = 0.5  # seconds: beyond this the wall visibly lags the room
CLOSER = 2  # halvings between the last rate held and the first one lost

SUSTAINED, NOT_SUSTAINED, NOT_DRIVEN = "sustained", "not sustained", "not driven"


def pace(moments: list[float]) -> float | None:
    """Events a second, from the gaps between the first and the last (None under two)."""
    if len(moments) < 2 or max(moments) == min(moments):
        return None
    return (len(moments) - 1) / (max(moments) - min(moments))


def judge(offered: float, records: list[dict], latencies: list[float], never: int,
          load: dict) -> dict:
    """One step's figures and verdict, from every vote the phones sent in it."""
    sent = [record["sent"] for record in records]
    acked = [record["acked"] for record in records if record["ok"]]
    sent_rate, acked_rate = pace(sent), pace(acked)
    shown = percentiles(latencies)
    driven = load["valid"] and sent_rate is not None and sent_rate >= DRIVEN * offered
    held = (len(acked) == len(records) and never == 0 and acked_rate is not None
            and acked_rate >= KEEPING_PACE * sent_rate
            and shown["p95"] is not None and shown["p95"] < PROJECTOR_P95)
    verdict = NOT_DRIVEN if not driven else SUSTAINED if held else NOT_SUSTAINED
    return {"offered": offered, "sent_rate": _round(sent_rate), "acked_rate": _round(acked_rate),
            "votes": len(records), "acked": len(acked), "never_shown": never,
            "projector": shown, "verdict": verdict}


def find_ceiling(rates: list[float], step) -> tuple[list[dict], dict]:
    """Run `step(rate)` (one judged step) up the rates, then closer to where the server gave.

    Returns every step run and the ceiling: the highest rate held, whether it is only a lower
    bound (the load generator gave out first, or every rate was held) and the lowest rate lost.
    """
    steps = []

    def settled(rate: float, stage: str) -> str:
        for attempt in (1, 2):  # a failing step must fail twice before it counts
            outcome = {**step(rate), "stage": stage, "attempt": attempt}
            steps.append(outcome)
            if outcome["verdict"] == SUSTAINED:
                break
        return outcome["verdict"]

    held, lost, verdict = None, None, SUSTAINED
    for rate in rates:
        verdict = settled(rate, "rising")
        if verdict != SUSTAINED:
            break
        held = rate
    if verdict != NOT_SUSTAINED:  # every rate held, or the phones could not send the next one
        return steps, {"votes_per_second": held, "at_least": True, "lost_at": None}
    lost = rate
    for _ in range(CLOSER):
        middle = _between(held or 0, lost)
        if middle is None:
            break
        verdict = settled(middle, "closer")
        if verdict == NOT_DRIVEN:
            break  # the server already lost at `lost`: `held` stands as the ceiling
        held, lost = (middle, lost) if verdict == SUSTAINED else (held, middle)
    return steps, {"votes_per_second": held, "at_least": False, "lost_at": lost}


def _between(low: float, high: float) -> float | None:
    """A round rate halfway between two (None when they are too close to tell apart)."""
    grain = 50 if high - low >= 100 else 10
    middle = round((low + high) / 2 / grain) * grain
    return middle if low < middle < high else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
