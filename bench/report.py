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
    sustained = [step["offered"] for step in run.get("sweep", [])
                 if step["sustained"] and step["load"]["valid"]]
    # The sweep stopped because the load generator ran out, not the server: at least this much.
    at_least = "≥ " if run.get("sweep") and not run["sweep"][-1]["load"]["valid"] else ""
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
            (f"{at_least}{max(sustained)}" if sustained
             else "–" if "sweep" in run else "not run"),
            "yes" if run["valid"] else "**no**"]


HEADER = ["server", "async", "N", "join storm", "vote → projector ms p50/p95/p99/max",
          "resent after a drop: votes, ms p50/max",
          "reveal → last phone", "votes sent/acked/stored/dots counted", "lost/dup",
          "server CPU (burst)", "peak MB", "load gen CPU (burst)", "max sustained votes/s",
          "valid"]


def tables(runs: list[dict]) -> str:
    """One row per run."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(str(cell) for cell in _row(run)) + " |" for run in runs]
    return "\n".join(lines)
