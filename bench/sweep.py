"""The sweep: steady vote rates, rising, to find the highest one a server keeps up with.

Each step sends exactly round(rate x seconds) votes, evenly spaced, from phones and cards drawn
by generators seeded from the run's seed and the step's number (`schedule`), so two runs send the
same votes at the same moments. A step is judged on what the phones actually sent, not on what
was asked of them: a server is not to blame for votes that were never sent, and a load generator
that could not send at the offered rate says nothing about the server (the step is void, not
failed). A step that only fell behind on pace (everything acknowledged and shown in time, no
backlog left) is run once more before it counts, because one noisy step on a shared machine must
not end the sweep; a step that lost votes, left a backlog or broke the latency bound counts at
once. Once a rate is lost, the sweep halves the gap to the last rate held.
"""

import random

from .stats import percentiles

DRIVEN = 0.95  # the phones must send at least this share of the offered rate, or the step is void
KEEPING_PACE = 0.90  # acknowledgements must come at this share of the rate the votes went out
PROJECTOR_P95 = 0.5  # seconds: beyond this the wall visibly lags the room
# Seconds after the step's last vote went out by which its last acknowledgement and the wall
# showing it must have arrived. A server that answers every vote but further and further behind
# leaves a queue that the next step inherits: that is not keeping up, however the rates look.
DRAIN_GRACE = 1.0
CLOSER = 2  # halvings between the last rate held and the first one lost

SUSTAINED, NOT_SUSTAINED, NOT_DRIVEN = "sustained", "not sustained", "not driven"
# What a lost step failed on; only PACE alone earns a second try.
PACE, LOST, BACKLOG, LATENCY = "pace", "lost or not shown", "backlog", "latency"


def schedule(phones: int, rate: float, seconds: float, seed: int,
             step: int) -> list[tuple[float, int]]:
    """A step's votes as (seconds after its start, phone index): round(rate x seconds) of them.

    The votes are evenly spaced across the step whatever rate x seconds is beside the number of
    phones: vote j goes out at j x seconds / total, from the j-th phone of a seeded shuffle of
    the room (round and round when there are more votes than phones, so each phone's own votes
    are phones / rate seconds apart). The shuffle is seeded by the run's seed and the step's
    number, so the same steps send the same votes at the same moments in every run.
    """
    total = round(rate * seconds)
    order = random.Random(f"{seed}:sweep:{step}").sample(range(phones), phones)
    return [(number * seconds / total, order[number % phones]) for number in range(total)]


def drained_after(records: list[dict], tallies: list[tuple[float, int]]) -> float | None:
    """Seconds from the step's last vote sent to its last acknowledgement and the wall showing
    every vote, whichever came later (None when a vote was never answered or never shown)."""
    if not records or any(record["acked"] is None for record in records):
        return None
    applied = [record["audit_seq"] for record in records if record["audit_seq"] is not None]
    ends = [max(record["acked"] for record in records)]
    if applied:
        shown = [arrived for arrived, as_of in tallies if (as_of or 0) >= max(applied)]
        if not shown:
            return None
        ends.append(min(shown))
    return max(ends) - max(record["sent"] for record in records)


def pace(moments: list[float]) -> float | None:
    """Events a second, from the gaps between the first and the last (None under two)."""
    if len(moments) < 2 or max(moments) == min(moments):
        return None
    return (len(moments) - 1) / (max(moments) - min(moments))


def judge(offered: float, records: list[dict], latencies: list[float], never: int,
          load: dict, drained: float | None) -> dict:
    """One step's figures and verdict, from every vote the phones sent in it.

    `drained` is `drained_after` for the step: how long after the last vote went out the last
    acknowledgement and the wall caught up.
    """
    sent = [record["sent"] for record in records]
    acked = [record["acked"] for record in records if record["ok"]]
    sent_rate, acked_rate = pace(sent), pace(acked)
    shown = percentiles(latencies)
    driven = load["valid"] and sent_rate is not None and sent_rate >= DRIVEN * offered
    failed_on = [reason for reason, failed in (
        (LOST, len(acked) < len(records) or never > 0),
        (BACKLOG, drained is None or drained > DRAIN_GRACE),
        (LATENCY, shown["p95"] is None or shown["p95"] >= PROJECTOR_P95),
        (PACE, acked_rate is None or acked_rate < KEEPING_PACE * sent_rate)) if failed]
    verdict = NOT_DRIVEN if not driven else NOT_SUSTAINED if failed_on else SUSTAINED
    return {"offered": offered, "sent_rate": _round(sent_rate), "acked_rate": _round(acked_rate),
            "votes": len(records), "acked": len(acked), "never_shown": never,
            "drained_after": None if drained is None else round(drained, 3),
            "projector": shown, "verdict": verdict,
            "failed_on": failed_on if verdict == NOT_SUSTAINED else []}


def worth_a_second_try(outcome: dict) -> bool:
    """A void step, or one that fell behind on pace alone, runs once more before it counts."""
    return outcome["verdict"] == NOT_DRIVEN or (
        outcome["verdict"] == NOT_SUSTAINED and outcome.get("failed_on") == [PACE])


def find_ceiling(rates: list[float], step) -> tuple[list[dict], dict]:
    """Run `step(rate)` (one judged step) up the rates, then closer to where the server gave.

    Returns every step run and the ceiling: the highest rate held, whether it is only a lower
    bound (the load generator gave out first, or every rate was held) and the lowest rate lost.
    """
    steps = []

    def settled(rate: float, stage: str) -> str:
        for attempt in (1, 2):
            outcome = {**step(rate), "stage": stage, "attempt": attempt}
            steps.append(outcome)
            if not worth_a_second_try(outcome):
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


def load_at_the_top(steps: list[dict], ceiling: dict, processes: int) -> dict:
    """How many load processes drove the sweep, and how busy they were at its highest steps
    (the rate held and every rate tried above it): a saturated one makes the ceiling theirs."""
    held = ceiling["votes_per_second"] or 0
    top = [step for step in steps if step["offered"] >= held] or steps
    return {"processes": processes,
            "busiest_cpu": max((step["load"]["busiest_cpu"] for step in top), default=None),
            "lag_p99": max((step["load"]["lag_p99"] for step in top), default=None),
            "saturated": any(not step["load"]["valid"] for step in top)}


def _between(low: float, high: float) -> float | None:
    """A round rate halfway between two (None when they are too close to tell apart)."""
    grain = 50 if high - low >= 100 else 10
    middle = round((low + high) / 2 / grain) * grain
    return middle if low < middle < high else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
