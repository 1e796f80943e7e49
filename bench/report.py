"""Markdown tables of benchmark runs, as docs/performance.md shows them."""

# The burst targets of docs/performance.md: what "held" means in the last column.
BURST_P95_MS, BURST_P99_MS, REVEAL_MS = 250, 500, 300


def _join_cells(join: dict) -> list:
    """All joined within, each join's ms p50/p95/max, server CPU per join, rows, retries."""
    each = join.get("each", {})
    rows = join.get("joined_rows")
    spread = f" (per worker: {' / '.join(map(str, join['spread']))})" if join.get("spread") else ""
    return [f"{join['joined']}/{join['phones']} in {join['all_joined_after']} s{spread}",
            f"{each.get('p50')} / {each.get('p95')} / {each.get('max')}",
            join.get("server_cpu_ms_per_join", "–"),
            "–" if rows is None else rows if rows == join["phones"] else f"**{rows}**",
            f"{join.get('retries', '–')} ({join.get('phones_retrying', '–')} phones)"]


def _stack_text(phase: dict) -> str:
    stack = phase.get("stack_cpu")
    if not stack:
        return "–"
    return " / ".join(f"{stack[name]:.0%}" for name in ("nginx", "postgresql", "redis"))


def burst_targets(run: dict) -> str:
    """"held", or which of the burst targets the run missed."""
    if "burst" not in run:
        return "not reached"
    projector, actions = run["burst"]["projector"], run["reveal"]["actions"]
    reveal = run["reveal"]["last_phone_after"]
    missed = [name for name, failed in (
        ("p95", projector["p95"] is None or projector["p95"] > BURST_P95_MS),
        ("p99", projector["p99"] is None or projector["p99"] > BURST_P99_MS),
        ("reveal", reveal is None or reveal * 1000 > REVEAL_MS
         or run["reveal"]["phones_reached"] < run["reveal"]["phones"]),
        ("lost/dup", actions["lost"] or actions["duplicated"]),
        ("invalid run", not run["valid"])) if failed]
    return "held" if not missed else "missed: " + ", ".join(missed)


def _row(run: dict) -> list:
    settings = run["settings"]
    if "failed" in run:
        return [settings["target"], settings["mode"], settings["phones"],
                f"failed: {run['failed'][:80]}"] + [""] * (len(HEADER) - 4)
    join = run["join"]
    if "stopped" in run:
        errors = "; ".join(join["errors"])[:120]
        return [settings["target"], settings["mode"], settings["phones"],
                *_join_cells(join)[:-1], f"{join.get('retries')}: {errors}",
                f"stopped: {run['stopped']}"] + [""] * (len(HEADER) - 9)
    burst, reveal = run["burst"], run["reveal"]
    actions = reveal["actions"]
    return [settings["target"], settings["mode"], settings["phones"], *_join_cells(join),
            f"{join['server_cpu']:.0%}",
            f"{burst['projector']['p50']} / {burst['projector']['p95']} / "
            f"{burst['projector']['p99']} / {burst['projector']['max']}",
            f"{burst['projector_resent']['count']}: {burst['projector_resent']['p50']} / "
            f"{burst['projector_resent']['max']}",
            f"{reveal['last_phone_after'] and round(reveal['last_phone_after'] * 1000)} ms "
            f"({reveal['phones_reached']}/{reveal['phones']})",
            f"{actions['sent']} / {actions['acked']} / {actions.get('stored', '–')} / "
            f"{actions['counted_dots']} of {actions['expected_dots']}",
            f"{actions['lost']} / {actions['duplicated']}"
            + (f" ({actions['refused']} refused)" if actions.get("refused") else ""),
            f"{burst['server_cpu']:.0%}", _stack_text(burst), f"{run['server_peak_mb']:.0f}",
            f"{burst['load']['cpu']:.0%} (lag {burst['load']['lag_p99'] * 1000:.0f} ms)",
            ceiling_text(run),
            "yes" if run["valid"] else "**no**", burst_targets(run)]


HEADER = ["server", "async", "N", "join storm: all joined", "each join ms p50/p95/max",
          "server CPU ms per join", "joined rows", "join retries", "server CPU (join)",
          "vote → projector ms p50/p95/p99/max",
          "resent after a drop: votes, ms p50/max",
          "reveal → last phone", "votes sent/acked/stored/dots counted", "lost/dup",
          "server CPU (burst)", "nginx / PostgreSQL / Redis CPU (burst)", "peak MB",
          "load gen CPU (burst)", "max sustained votes/s",
          "valid", "burst targets"]
NOTES = ("Server CPU is the share of one core; for cluster-<n> it is the sum over its n run.py "
         "workers (nginx, PostgreSQL and Redis shown apart, each with its child processes), and "
         "peak MB is the sum of each worker's own peak. A join is the consent page, its post, "
         "the live socket and the first sync answered; server CPU per join is the server's CPU "
         "seconds during the storm over the phones joined; joined rows counts the workshop's "
         "participants in the database after the storm (one per phone: more is a join counted "
         "twice). Burst targets: projector p95 ≤ 250 ms and p99 ≤ 500 ms, reveal ≤ 300 ms to "
         "every phone, nothing lost or duplicated, a valid run.")


def ceiling_text(run: dict) -> str:
    """The highest vote rate held: "3500", "≥ 8000" when the load generator gave out first."""
    if "ceiling" not in run:
        return "not run"
    ceiling = run["ceiling"]
    held = ceiling["votes_per_second"]
    if held is None:  # not even the first rate: below it, or nothing known at all
        return f"< {ceiling['lost_at']}" if ceiling["lost_at"] else "not found"
    return f"≥ {held}" if ceiling["at_least"] else f"{held}"


def ratio_text(coprod: dict, bare: dict) -> str:
    """coprod's ceiling as a share of the baseline's, with the direction a lower bound gives."""
    mine, theirs = coprod["votes_per_second"], bare["votes_per_second"]
    if not mine or not theirs:
        return "unknown"
    share = f"{mine / theirs:.0%}"
    if coprod["at_least"] and bare["at_least"]:
        return f"unknown (both ≥; {share} at the rates reached)"
    if bare["at_least"]:
        return f"≤ {share}"  # the baseline could take more than was offered
    return f"≥ {share}" if coprod["at_least"] else share


def _load_text(ceiling: dict) -> str:
    load = ceiling.get("load")
    if not load or load["busiest_cpu"] is None:
        return "–"
    return (f"{load['processes']}: busiest {load['busiest_cpu']:.0%}, lag "
            f"{load['lag_p99'] * 1000:.0f} ms" + (" (**saturated**)" if load["saturated"] else ""))


def ratios(runs: list[dict]) -> str:
    """Each sweep's ceiling, its share of the baseline's (and of one worker's, for a cluster)
    from the same run, and the load processes that drove it, at its highest steps."""
    found = {(run["settings"]["mode"], run["settings"]["phones"], run["settings"]["target"]): run
             for run in runs if "ceiling" in run}
    lines = ["| async | N | server | max sustained votes/s | share of bare | share of cluster-1 "
             "| load processes at the top steps (busiest CPU, lag p99) |",
             "|---|---|---|---|---|---|---|"]
    for (mode, phones, target), run in sorted(found.items(), key=lambda item: (
            item[0][1], item[0][0], item[0][2] != "bare", item[0][2])):
        bare, one = found.get((mode, phones, "bare")), found.get((mode, phones, "cluster-1"))
        of_bare = ratio_text(run["ceiling"], bare["ceiling"]) if bare and target != "bare" else "–"
        of_one = (ratio_text(run["ceiling"], one["ceiling"])
                  if one and target.startswith("cluster-") and target != "cluster-1" else "–")
        lines.append(f"| {mode} | {phones} | {target} | {ceiling_text(run)} | {of_bare} "
                     f"| {of_one} | {_load_text(run['ceiling'])} |")
    return "\n".join(lines) if len(lines) > 2 else ""


def highest_held(runs: list[dict]) -> str:
    """For each server and async mode, the highest N whose run held the burst targets."""
    best = {}
    for run in runs:
        settings = run["settings"]
        if burst_targets(run) == "held":
            key = (settings["target"], settings["mode"])
            best[key] = max(best.get(key, 0), settings["phones"])
    return "\n".join(f"Highest N that held the burst targets: {target} {mode}: {phones}"
                     for (target, mode), phones in sorted(best.items()))


STEP_HEADER = ["server", "async", "N", "step", "stage", "offered votes/s", "sent votes/s",
               "acked votes/s", "votes sent/acked", "projector ms p95", "drained after s",
               "server CPU", "load gen CPU (lag)", "verdict"]


def steps(runs: list[dict]) -> str:
    """Every step of every sweep: offered, actually sent and acknowledged rates, and verdict."""
    lines = ["| " + " | ".join(STEP_HEADER) + " |", "|" + "---|" * len(STEP_HEADER)]
    for run in runs:
        settings = run["settings"]
        for step in run.get("sweep", []):
            stage = step["stage"] + (" (again)" if step["attempt"] > 1 else "")
            verdict = step["verdict"] + (f" ({', '.join(step['failed_on'])})"
                                         if step.get("failed_on") else "")
            cells = [settings["target"], settings["mode"], settings["phones"],
                     step.get("step", "–"), stage,
                     step["offered"], step["sent_rate"], step["acked_rate"],
                     f"{step['votes']} / {step['acked']}", step["projector"]["p95"],
                     step.get("drained_after"), f"{step['server_cpu']:.0%}",
                     f"{step['load']['cpu']:.0%} ({step['load']['lag_p99'] * 1000:.0f} ms)",
                     verdict]
            lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines)


def tables(runs: list[dict]) -> str:
    """One row per run; then the ceilings and their ratio, then every sweep step."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(str(cell) for cell in _row(run)) + " |" for run in runs]
    lines += ["", NOTES]
    held = highest_held(runs)
    if held:
        lines += ["", held]
    if any("ceiling" in run for run in runs):
        lines += [part for table in (ratios(runs), steps(runs)) if table for part in ("", table)]
    return "\n".join(lines)
