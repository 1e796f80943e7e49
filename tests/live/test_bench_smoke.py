"""A small run of the benchmark harness: 20 phones through the whole workshop, nothing lost;
and how the sweep judges its steps and reports a ceiling (bench/sweep.py, bench/report.py)."""

import pytest

from bench.harness import Settings, run
from bench.report import ceiling_text, ratio_text
from bench.sweep import NOT_DRIVEN, NOT_SUSTAINED, SUSTAINED, find_ceiling, judge

pytestmark = pytest.mark.live


def test_twenty_phones_join_vote_drop_out_and_see_the_reveal(databases, tmp_path):
    figures = run(Settings(phones=20, loaders=1, join_window=2, card_window=1,
                           vote_start_window=2, sweep_rates=[20, 40], sweep_seconds=2,
                           database_url=databases.fresh()), tmp_path)

    assert figures["join"]["joined"] == 20 and figures["join"]["errors"] == []
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
    assert figures["ceiling"]["at_least"] and figures["ceiling"]["lost_at"] is None


def scripted(verdicts: dict):
    """A stand-in for one sweep step: each rate's verdicts in turn (the last one repeats)."""
    asked = []

    def step(rate):
        asked.append(rate)
        said = verdicts.get(rate, [SUSTAINED])
        return {"offered": rate, "verdict": said[min(asked.count(rate), len(said)) - 1]}
    return step, asked


def test_one_noisy_step_does_not_end_the_sweep():
    step, asked = scripted({200: [NOT_SUSTAINED, SUSTAINED], 800: [NOT_SUSTAINED]})
    steps, ceiling = find_ceiling([100, 200, 400, 800], step)
    assert asked == [100, 200, 200, 400, 800, 800, 600, 700]  # 800 lost twice, then closer
    assert ceiling == {"votes_per_second": 700, "at_least": False, "lost_at": 800}
    assert ceiling_text({"ceiling": ceiling}) == "700"


def test_a_load_generator_that_gives_out_leaves_a_lower_bound():
    step, _ = scripted({800: [NOT_DRIVEN]})
    _, ceiling = find_ceiling([100, 200, 400, 800], step)
    assert ceiling_text({"ceiling": ceiling}) == "≥ 400"
    bare, coprod = ceiling, {"votes_per_second": 300, "at_least": False, "lost_at": 400}
    assert ratio_text(coprod, bare) == "≤ 75%"  # the baseline could have taken more


def votes(sent: list[float], answered_after: float) -> list[dict]:
    return [{"sent": moment, "acked": moment + answered_after, "ok": True} for moment in sent]


def test_a_step_is_judged_on_the_votes_actually_sent():
    steady = [index / 50 for index in range(250)]  # 50 a second for 5 s, every one answered
    load = {"valid": True}
    assert judge(50, votes(steady, 0.01), [0.1] * 250, 0, load)["verdict"] == SUSTAINED
    # Phones that only managed half the rate say nothing about the server: the step is void.
    halting = [index / 25 for index in range(125)]
    assert judge(50, votes(halting, 0.01), [0.1] * 125, 0, load)["verdict"] == NOT_DRIVEN
    # A server whose answers fall further and further behind is not keeping up.
    behind = [{"sent": moment, "acked": 0.01 + moment * 1.5, "ok": True} for moment in steady]
    assert judge(50, behind, [0.1] * 250, 0, load)["verdict"] == NOT_SUSTAINED
