"""A small run of the benchmark harness: 20 phones through the whole workshop, nothing lost;
and how the sweep plans and judges its steps and reports a ceiling (bench/sweep.py,
bench/report.py)."""

from collections import Counter

import pytest

from bench.harness import Settings, run
from bench.report import ceiling_text, ratio_text
from bench.sweep import (
    BACKLOG,
    DRAIN_GRACE,
    LATENCY,
    LOST,
    NOT_DRIVEN,
    NOT_SUSTAINED,
    PACE,
    SUSTAINED,
    drained_after,
    find_ceiling,
    judge,
    schedule,
)

pytestmark = pytest.mark.live


def test_twenty_phones_join_vote_drop_out_and_see_the_reveal(databases, tmp_path):
    figures = run(Settings(phones=20, loaders=1, join_window=2, card_window=1,
                           vote_start_window=2, sweep_rates=[20, 40], sweep_seconds=2,
                           database_url=databases.fresh()), tmp_path)

    join = figures["join"]
    assert join["joined"] == 20 and join["errors"] == []
    assert join["joined_rows"] == 20  # one participant row per phone: none lost, none twice
    assert join["each"]["count"] == 20 and 0 < join["each"]["p50"] <= join["each"]["max"]
    assert join["server_cpu_ms_per_join"] > 0 and join["retries"] >= 0
    burst, actions = figures["burst"], figures["reveal"]["actions"]
    assert burst["churned"] == 1 and actions["resent"] >= 1  # one phone dropped mid-vote
    assert actions["lost"] == 0 and actions["duplicated"] == 0 and actions["refused"] == 0
    assert actions["acked"] == actions["sent"] == actions["stored"] == actions["audit_events"]
    assert actions["counted_dots"] == actions["expected_dots"] > 0
    assert burst["never_shown"] == 0  # every vote reached the projector
    assert figures["reveal"]["phones_reached"] == 20
    # The sweep's phones send exactly the offered number of votes (rate x seconds), whatever the
    # machine is doing, and 20 phones at 40 votes a second never lose a step: the ceiling is
    # only a lower bound (a busy machine may void a step; it must not pass for a server that lost).
    assert all(step["votes"] == step["offered"] * 2 == step["acked"] for step in figures["sweep"])
    assert all(step["drained_after"] <= DRAIN_GRACE for step in figures["sweep"]
               if step["verdict"] == SUSTAINED)
    assert figures["ceiling"]["at_least"] and figures["ceiling"]["lost_at"] is None
    assert figures["ceiling"]["load"]["processes"] == 1


SLOW = (NOT_SUSTAINED, [PACE])  # everything answered and shown in time, but behind the rate
LATE = (NOT_SUSTAINED, [LATENCY])
BEHIND = (NOT_SUSTAINED, [BACKLOG, PACE])


def scripted(verdicts: dict):
    """A stand-in for one sweep step: each rate's outcomes in turn (the last one repeats)."""
    asked = []

    def step(rate):
        asked.append(rate)
        said = verdicts.get(rate, [SUSTAINED])
        verdict = said[min(asked.count(rate), len(said)) - 1]
        verdict, failed_on = verdict if isinstance(verdict, tuple) else (verdict, [])
        return {"offered": rate, "verdict": verdict, "failed_on": failed_on}
    return step, asked


def test_a_step_that_only_fell_behind_on_pace_runs_again():
    step, asked = scripted({200: [SLOW, SUSTAINED], 800: [SLOW]})
    steps, ceiling = find_ceiling([100, 200, 400, 800], step)
    assert asked == [100, 200, 200, 400, 800, 800, 600, 700]  # 800 slow twice, then closer
    assert ceiling == {"votes_per_second": 700, "at_least": False, "lost_at": 800}
    assert ceiling_text({"ceiling": ceiling}) == "700"
    assert [outcome["attempt"] for outcome in steps if outcome["offered"] == 800] == [1, 2]


def test_a_step_that_broke_the_bound_or_left_a_backlog_counts_at_once():
    step, asked = scripted({400: [LATE, SUSTAINED], 300: [BEHIND, SUSTAINED]})
    _, ceiling = find_ceiling([100, 200, 400], step)
    assert asked == [100, 200, 400, 300, 250]  # no second try for 400 nor for 300
    assert ceiling == {"votes_per_second": 250, "at_least": False, "lost_at": 300}


def test_a_load_generator_that_gives_out_leaves_a_lower_bound():
    step, _ = scripted({800: [NOT_DRIVEN]})
    _, ceiling = find_ceiling([100, 200, 400, 800], step)
    assert ceiling_text({"ceiling": ceiling}) == "≥ 400"
    bare, coprod = ceiling, {"votes_per_second": 300, "at_least": False, "lost_at": 400}
    assert ratio_text(coprod, bare) == "≤ 75%"  # the baseline could have taken more


@pytest.mark.parametrize("phones, rate, seconds", [
    (1000, 50, 5),  # fewer votes than phones
    (20, 40, 2),  # several votes per phone, a multiple of the room
    (7, 33, 2.5),  # 82.5 votes: neither a multiple of the room nor a whole number
    (3, 1000, 0.5),  # far more votes than phones
])
def test_a_step_sends_exactly_rate_times_seconds_votes_evenly_spaced(phones, rate, seconds):
    plan = schedule(phones, rate, seconds, seed=5, step=3)
    assert len(plan) == round(rate * seconds)
    offsets = [offset for offset, _ in plan]
    gaps = [later - earlier for earlier, later in zip(offsets, offsets[1:], strict=False)]
    assert offsets[0] == 0 and max(gaps) - min(gaps) < 1e-9 and offsets[-1] < seconds
    # Every phone takes its turn: no phone sends more than one vote more than another.
    per_phone = Counter(index for _, index in plan)
    assert max(per_phone.values()) - min(per_phone.values(), default=0) <= 1
    assert len(per_phone) == min(phones, len(plan))


def test_the_same_seed_and_step_send_the_same_votes_at_the_same_moments():
    assert schedule(100, 200, 5, seed=5, step=1) == schedule(100, 200, 5, seed=5, step=1)
    assert schedule(100, 200, 5, seed=5, step=1) != schedule(100, 200, 5, seed=5, step=2)
    assert schedule(100, 200, 5, seed=5, step=1) != schedule(100, 200, 5, seed=6, step=1)


def votes(sent: list[float], answered_after: float) -> list[dict]:
    return [{"sent": moment, "acked": moment + answered_after, "ok": True, "audit_seq": number}
            for number, moment in enumerate(sent, start=1)]


def test_a_step_is_judged_on_the_votes_actually_sent():
    steady = [index / 50 for index in range(250)]  # 50 a second for 5 s, every one answered
    load = {"valid": True}
    assert judge(50, votes(steady, 0.01), [0.1] * 250, 0, load, 0.1)["verdict"] == SUSTAINED
    # Phones that only managed half the rate say nothing about the server: the step is void.
    halting = [index / 25 for index in range(125)]
    assert judge(50, votes(halting, 0.01), [0.1] * 125, 0, load, 0.1)["verdict"] == NOT_DRIVEN
    # A server whose answers fall further and further behind is not keeping up, and leaves a
    # backlog: that counts at once.
    behind = [{**vote, "acked": 0.01 + vote["sent"] * 1.5} for vote in votes(steady, 0)]
    shown = [(vote["acked"] + 0.05, vote["audit_seq"]) for vote in behind]
    judged = judge(50, behind, [0.1] * 250, 0, load, drained_after(behind, shown))
    assert judged["verdict"] == NOT_SUSTAINED and judged["failed_on"] == [BACKLOG, PACE]
    # A vote never answered is lost, whatever else went well.
    unanswered = votes(steady, 0.01)
    unanswered[100].update(acked=None, ok=None)
    judged = judge(50, unanswered, [0.1] * 249, 0, load, drained_after(unanswered, []))
    assert LOST in judged["failed_on"] and judged["drained_after"] is None


def test_a_step_drains_when_its_last_vote_is_answered_and_on_the_wall():
    sent = votes([0.0, 1.0, 2.0], answered_after=0.05)
    # The wall showed vote 3 (audit event 3) 0.4 s after it went out: drained after 0.4 s.
    assert drained_after(sent, [(1.2, 2), (2.4, 3)]) == pytest.approx(0.4)
    # A wall that never showed the last vote never drained.
    assert drained_after(sent, [(1.2, 2)]) is None
