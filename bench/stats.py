"""Figures from raw records: percentiles, vote-to-projector latency, lost and duplicated actions."""

import bisect


def percentiles(values: list[float]) -> dict:
    """p50, p95, p99 and max (None when there is nothing to measure)."""
    if not values:
        return {"count": 0, "p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
    return {"count": len(ordered), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99),
            "max": ordered[-1]}


def projector_latencies(records: list[dict], tallies: list[tuple[float, int]]) -> tuple[list, int]:
    """Seconds from each vote's first send to the first projector tally that included it.

    A tally includes a vote when its `as_of` (the audit event number the results were read at)
    has reached the vote's own `audit_seq`. Returns the latencies and how many votes no tally
    ever showed.
    """
    times, reached, highest = [], [], 0
    for arrived, as_of in sorted(tallies):
        highest = max(highest, as_of or 0)
        times.append(arrived)
        reached.append(highest)
    latencies, never = [], 0
    for record in records:
        if record["audit_seq"] is None:
            continue
        index = bisect.bisect_left(reached, record["audit_seq"])
        if index == len(reached):
            never += 1
        else:
            latencies.append(times[index] - record["sent"])
    return latencies, never


def final_votes(records: list[dict]) -> dict:
    """What each phone meant its votes to be at the end: (participant number, card) -> value."""
    wanted = {}
    for record in sorted(records, key=lambda record: record["sent"]):
        payload = record["payload"]
        wanted[(record["number"], payload["card_id"])] = payload["value"] or 0
    return {key: value for key, value in wanted.items() if value}


def accounting(records: list[dict], counted_dots: int, stored: dict | None) -> dict:
    """Actions sent, acked, stored and counted; lost and duplicated must both be 0."""
    acked = [record for record in records if record["ok"]]
    wanted = final_votes(records)
    expected_dots = sum(wanted.values())
    report = {"sent": len(records), "resent": sum(record["resent"] for record in records),
              "repeats_answered": sum(record["repeat"] for record in records),
              "acked": len(acked), "refused": sum(record["ok"] is False for record in records),
              "refusals": sorted({str(record.get("error")) for record in records
                                  if record["ok"] is False})[:3],
              "unanswered": sum(record["acked"] is None for record in records),
              "expected_dots": expected_dots, "counted_dots": counted_dots}
    # A refusal is reported on its own: in these scenarios every action is valid, so any refusal
    # is a fault to look at, but the phone was told and nothing went missing silently.
    lost = report["unanswered"] + max(0, expected_dots - counted_dots)
    duplicated = max(0, counted_dots - expected_dots)
    if stored is not None:
        cids = {record["cid"] for record in records}
        wrong = {key for key in set(wanted) | set(stored["votes"])
                 if wanted.get(key) != stored["votes"].get(key)}
        report.update(stored=len(cids & stored["cids"]), stored_votes_differing=len(wrong),
                      audit_events=stored["vote_events"])
        lost += len(cids - stored["cids"]) + sum(stored["votes"].get(key, 0) < wanted.get(key, 0)
                                                 for key in wrong)
        # One audit event per action stored: more is an action applied twice. (Counting the
        # acknowledged ones instead took a resend refused after its first send was applied, its
        # answer lost with the connection, for a duplicate.)
        duplicated += max(0, stored["vote_events"] - len(cids & stored["cids"])) + sum(
            stored["votes"].get(key, 0) > wanted.get(key, 0) for key in wrong)
    report.update(lost=lost, duplicated=duplicated)
    return report
