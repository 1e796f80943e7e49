"""Run the benchmark: `python -m bench` (see docs/performance.md for what it does).

    python -m bench --phones 1000,2000 --modes eventlet,gevent --targets coprod,bare

Writes every figure to bench/results/<name>.json and prints the tables docs/performance.md uses.
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
    parser.add_argument("--targets", default="coprod,bare", help="coprod,bare")
    parser.add_argument("--loaders", type=int, default=2, help="load-generating processes")
    parser.add_argument("--sweep-up-to", type=int, default=1000,
                        help="also find the highest sustained vote rate at phone counts up to "
                             "this one (0: never)")
    parser.add_argument("--sweep-rates", default=SWEEP,
                        help="comma-separated vote rates the sweep rises through")
    parser.add_argument("--name", default="latest", help="bench/results/<name>.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run every combination asked for, save the figures, print the tables."""
    args = _arguments(sys.argv[1:] if argv is None else argv)
    RESULTS.mkdir(exist_ok=True)
    runs, rates = [], [int(rate) for rate in args.sweep_rates.split(",")]
    for phones in (int(n) for n in args.phones.split(",")):
        for mode in args.modes.split(","):
            for target in args.targets.split(","):
                settings = replace(Settings(), phones=phones, mode=mode, target=target,
                                   loaders=args.loaders,
                                   sweep_rates=rates if phones <= args.sweep_up_to else [])
                print(f"== {target} {mode} N={phones}", flush=True)
                runs.append(_one(settings))
    output = RESULTS / f"{args.name}.json"
    output.write_text(json.dumps({"runs": runs, "machine": _machine()}, indent=1))
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
