"""Markdown tables of benchmark runs, as docs/performance.md shows them."""


def _row(run: dict) -> list:
    settings = run["settings"]
    if "failed" in run:
        return [settings["target"], settings["mode"], settings["phones"],
                f"failed: {run['failed'][:80]}"] + [""] * 10
    join = run["join"]
    if "stopped" in run:
        errors = "; ".join(join["errors"])[:120]
        return [settings["target"], settings["mode"], settings["phones"],
                f"{join['joined']}/{join['phones']} joined: {errors}",
                f"stopped: {run['stopped']}"] + [""] * 9
    burst, reveal = run["burst"], run["reveal"]
    actions = reveal["actions"]
    return [settings["target"], settings["mode"], settings["phones"],
            f"{join['joined']}/{join['phones']} in {join['all_joined_after']} s",
            f"{burst['projector']['p50']} / {burst['projector']['p95']} / "
            f"{burst['projector']['p99']} / {burst['projector']['max']}",
            f"{burst['projector_resent']['count']}: {burst['projector_resent']['p50']} / "
            f"{burst['projector_resent']['max']}",
            f"{reveal['last_phone_after'] and round(reveal['last_phone_after'] * 1000)} ms "
            f"({reveal['phones_reached']}/{reveal['phones']})",
            f"{actions['sent']} / {actions['acked']} / {actions.get('stored', '–')} / "
            f"{actions['counted_dots']} of {actions['expected_dots']}",
            f"{actions['lost']} / {actions['duplicated']}",
            f"{burst['server_cpu']:.0%}", f"{run['server_peak_mb']:.0f}",
            f"{burst['load']['cpu']:.0%} (lag {burst['load']['lag_p99'] * 1000:.0f} ms)",
            ceiling_text(run),
            "yes" if run["valid"] else "**no**"]


HEADER = ["server", "async", "N", "join storm", "vote → projector ms p50/p95/p99/max",
          "resent after a drop: votes, ms p50/max",
          "reveal → last phone", "votes sent/acked/stored/dots counted", "lost/dup",
          "server CPU (burst)", "peak MB", "load gen CPU (burst)", "max sustained votes/s",
          "valid"]


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


def ratios(runs: list[dict]) -> str:
    """Each async mode and phone count's ceilings side by side, and coprod's share."""
    found = {(run["settings"]["mode"], run["settings"]["phones"], run["settings"]["target"]): run
             for run in runs if "ceiling" in run}
    lines = ["| async | N | coprod votes/s | bare votes/s | coprod / bare |", "|---|---|---|---|---|"]
    for mode, phones in sorted({key[:2] for key in found}, key=lambda key: (key[1], key[0])):
        coprod, bare = found.get((mode, phones, "coprod")), found.get((mode, phones, "bare"))
        if coprod and bare:
            lines.append(f"| {mode} | {phones} | {ceiling_text(coprod)} | {ceiling_text(bare)} "
                         f"| {ratio_text(coprod['ceiling'], bare['ceiling'])} |")
    return "\n".join(lines) if len(lines) > 2 else ""


STEP_HEADER = ["server", "async", "N", "stage", "offered votes/s", "sent votes/s",
               "acked votes/s", "votes sent/acked", "projector ms p95", "server CPU",
               "load gen CPU (lag)", "verdict"]


def steps(runs: list[dict]) -> str:
    """Every step of every sweep: offered, actually sent and acknowledged rates, and verdict."""
    lines = ["| " + " | ".join(STEP_HEADER) + " |", "|" + "---|" * len(STEP_HEADER)]
    for run in runs:
        settings = run["settings"]
        for step in run.get("sweep", []):
            stage = step["stage"] + (" (again)" if step["attempt"] > 1 else "")
            cells = [settings["target"], settings["mode"], settings["phones"], stage,
                     step["offered"], step["sent_rate"], step["acked_rate"],
                     f"{step['votes']} / {step['acked']}", step["projector"]["p95"],
                     f"{step['server_cpu']:.0%}",
                     f"{step['load']['cpu']:.0%} ({step['load']['lag_p99'] * 1000:.0f} ms)",
                     step["verdict"]]
            lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines)


def tables(runs: list[dict]) -> str:
    """One row per run; then the ceilings and their ratio, then every sweep step."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(str(cell) for cell in _row(run)) + " |" for run in runs]
    if any("ceiling" in run for run in runs):
        lines += [part for table in (ratios(runs), steps(runs)) if table for part in ("", table)]
    return "\n".join(lines)
