"""A small run of the benchmark harness: 20 phones through the whole workshop, nothing lost."""

import pytest

from bench.harness import Settings, run

pytestmark = pytest.mark.live


def test_twenty_phones_join_vote_drop_out_and_see_the_reveal(databases, tmp_path):
    figures = run(Settings(phones=20, loaders=1, join_window=2, card_window=1,
                           vote_start_window=2, database_url=databases.fresh()), tmp_path)

    assert figures["join"]["joined"] == 20 and figures["join"]["errors"] == []
    burst, actions = figures["burst"], figures["reveal"]["actions"]
    assert burst["churned"] == 1 and actions["resent"] >= 1  # one phone dropped mid-vote
    assert actions["lost"] == 0 and actions["duplicated"] == 0 and actions["refused"] == 0
    assert actions["acked"] == actions["sent"] == actions["stored"] == actions["audit_events"]
    assert actions["counted_dots"] == actions["expected_dots"] > 0
    assert burst["never_shown"] == 0  # every vote reached the projector
    assert figures["reveal"]["phones_reached"] == 20
