"""Run the benchmark: `python -m bench` (see docs/performance.md for what it does).

    python -m bench --phones 1000,2000 --modes eventlet,gevent --targets coprod,bare
    python -m bench --phones 1000 --targets cluster --workers 1,2 --name performance --append

Writes every figure to bench/results/<name>.json and prints the tables docs/performance.md uses
(with --append, of every run in that file, so several invocations make one report).
"""

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from .harness import Settings, run
from .report import tables

RESULTS = Path(__file__).resolve().parent / "results"
# Coarse on the way up; bench/sweep.py then halves the gap where the server gave, twice.
SWEEP = "50,100,200,400,700,1000,1500,2000,2500,3000,4000,5000,6000,8000"


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--phones", default="1000", help="comma-separated phone counts")
    parser.add_argument("--modes", default="eventlet", help="eventlet,gevent")
    parser.add_argument("--targets", default="coprod,bare",
                        help="comma-separated: coprod (one process, SQLite), bare (the baseline), "
                             "cluster (PostgreSQL, Redis, nginx and --workers run.py workers) or "
                             "cluster-<workers>, e.g. cluster-2")
    parser.add_argument("--workers", default="2",
                        help="comma-separated worker counts for the `cluster` target: 1,2 runs "
                             "cluster-1 and cluster-2")
    parser.add_argument("--loaders", type=int, default=2, help="load-generating processes")
    parser.add_argument("--sweep-up-to", type=int, default=1000,
                        help="also find the highest sustained vote rate at phone counts up to "
                             "this one (0: never)")
    parser.add_argument("--sweep-modes", default="eventlet,gevent",
                        help="comma-separated async modes the sweep runs in (others skip it)")
    parser.add_argument("--sweep-rates", default=SWEEP,
                        help="comma-separated vote rates the sweep rises through")
    parser.add_argument("--seed", type=int, default=Settings.seed,
                        help="seeds every random choice, so two runs send the same actions")
    parser.add_argument("--name", default="latest", help="bench/results/<name>.json")
    parser.add_argument("--append", action="store_true",
                        help="add these runs to bench/results/<name>.json instead of replacing "
                             "it, and print the tables of every run in it")
    return parser.parse_args(argv)


def _targets(targets: str, workers: str) -> list[str]:
    """The target names, with `cluster` spelled out once per worker count."""
    names = []
    for target in targets.split(","):
        if target == "cluster":
            names += [f"cluster-{int(count)}" for count in workers.split(",")]
        else:
            names.append(target)
    return names


def main(argv: list[str] | None = None) -> int:
    """Run every combination asked for, save the figures, print the tables."""
    args = _arguments(sys.argv[1:] if argv is None else argv)
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"{args.name}.json"
    earlier = json.loads(output.read_text()) if args.append and output.exists() else {}
    runs, rates = earlier.get("runs", []), [int(rate) for rate in args.sweep_rates.split(",")]
    sweep_modes = args.sweep_modes.split(",")
    for phones in (int(n) for n in args.phones.split(",")):
        for mode in args.modes.split(","):
            for target in _targets(args.targets, args.workers):
                sweeping = phones <= args.sweep_up_to and mode in sweep_modes
                settings = replace(Settings(), phones=phones, mode=mode, target=target,
                                   loaders=args.loaders, seed=args.seed,
                                   sweep_rates=rates if sweeping else [])
                print(f"== {target} {mode} N={phones}", flush=True)
                runs.append(_one(settings))
                # Saved after every run: a long bench that breaks late keeps what it measured.
                output.write_text(json.dumps({"runs": runs, "machine": _machine()}, indent=1,
                                             default=str))
    print(tables(runs))
    print(f"\nAll figures: {output}")
    return 0


def _one(settings: Settings) -> dict:
    with tempfile.TemporaryDirectory(prefix="coprod-bench-") as folder:
        began = time.time()
        try:
            figures = run(settings, Path(folder))
        except Exception as error:  # a run that breaks is a result too: say what gave way
            figures = {"settings": vars(settings), "failed": repr(error),
                       "server_log": _tail(Path(folder))}
        figures["wall_seconds"] = round(time.time() - began, 1)
        print(json.dumps(figures, default=str)[:2000], flush=True)
        return figures


def _tail(folder: Path) -> str:
    logs = sorted(folder.glob("*.log"))
    return "\n".join(log.read_text()[-3000:] for log in logs)


def _machine() -> dict:
    import os
    import platform

    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "load_before": os.getloadavg()}


if __name__ == "__main__":
    sys.exit(main())
