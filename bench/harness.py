"""One benchmark scenario against one server: join storm, cards, vote burst with churn, reveal,
then a rising vote rate to find the highest one the projector keeps up with.

The coordinator (this process) holds the facilitator's console and the projector; the phones
live in load processes (bench/loader.py). Every figure comes from timestamps taken where a user
would see them: the phone that sends, the projector that shows, the phone that hears the reveal.
"""

import multiprocessing
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from . import loader as load_process
from .stats import accounting, percentiles, projector_latencies
from .sweep import drained_after, find_ceiling, judge, load_at_the_top, schedule
from .targets import make_target

SATURATED_CPU = 0.90  # a load process busier than this cannot be trusted to keep time
SATURATED_LAG = 0.05  # nor one whose loop wakes up this late (seconds, p99)


@dataclass
class Settings:
    phones: int = 1000
    mode: str = "eventlet"
    target: str = "coprod"
    loaders: int = 2
    join_window: float = 10.0
    card_share: float = 0.05
    card_window: float = 5.0
    voter_share: float = 0.80
    churn_share: float = 0.05
    budget: int = 5
    max_per_card: int = 2
    vote_start_window: float = 6.0
    tap_gap: tuple = (0.3, 0.9)
    sweep_rates: list = field(default_factory=list)  # votes per second; empty: no sweep
    sweep_seconds: float = 5.0
    database_url: str | None = None  # coprod only; default: its own SQLite file
    seed: int = 5


class ServerWatch:
    """The server's CPU per phase (share of one core) and its peak memory.

    With several workers both are sums over the workers: CPU as the share of one core they used
    together, memory as the sum of each worker's own peak (an upper bound on the peak together).
    """

    def __init__(self, pids: list[int]):
        self.processes = [psutil.Process(pid) for pid in pids]
        self.pids = pids
        self.mark()

    def mark(self) -> None:
        self.since, self.cpu_since = time.time(), self._cpu()

    def _cpu(self) -> float:
        return sum(times.user + times.system
                   for times in (process.cpu_times() for process in self.processes))

    def reading(self) -> dict:
        """CPU since the last mark: share of one core and seconds used."""
        used = self._cpu() - self.cpu_since
        reading = {"cpu": used / max(time.time() - self.since, 1e-6), "cpu_seconds": used}
        self.mark()
        return reading

    def peak_mb(self) -> float:
        """Peak resident memory (VmHWM) over the server's whole life, in MB (summed)."""
        return sum(_peak_mb(pid) for pid in self.pids)


class StackWatch:
    """The CPU of a cluster's other parts (nginx, PostgreSQL, Redis, each with its child
    processes) per phase, as shares of one core: what the workers' two cores also carried."""

    def __init__(self, roots: dict[str, int]):
        self.roots = {name: psutil.Process(pid) for name, pid in roots.items()}
        self.mark()

    def mark(self) -> None:
        self.since, self.cpu_since = time.time(), self._cpu()

    def _cpu(self) -> dict[str, float]:
        return {name: _tree_cpu(root) for name, root in self.roots.items()}

    def reading(self) -> dict[str, float]:
        wall, now = max(time.time() - self.since, 1e-6), self._cpu()
        # A child that ended during the phase takes its time with it: never below zero.
        reading = {name: round(max(0.0, now[name] - self.cpu_since[name]) / wall, 3)
                   for name in now}
        self.mark()
        return reading


def _tree_cpu(root: psutil.Process) -> float:
    total = 0.0
    try:
        family = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    for process in family:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


class Projector:
    """Every tally the projector received: (arrival time, as_of)."""

    def __init__(self, client):
        self.tallies, self._lock = [], threading.Lock()
        client.on("tally", self._on_tally)

    def _on_tally(self, payload):
        with self._lock:
            self.tallies.append((time.time(), payload.get("as_of")))

    def take(self) -> list:
        with self._lock:
            taken, self.tallies = self.tallies, []
        return taken

    def take_through(self, seq: int | None, timeout: float) -> list:
        """Every tally received, once one includes audit event `seq` (or `timeout` passed)."""
        deadline = time.time() + timeout
        while seq is not None and time.time() < deadline:
            with self._lock:
                if any((as_of or 0) >= seq for _, as_of in self.tallies):
                    break
            time.sleep(0.02)
        return self.take()


class LoadPool:
    """The load processes, each with its share of the phones."""

    def __init__(self, url: str, workshop_id: int, phones: int, processes: int):
        context = multiprocessing.get_context("spawn")
        self.pipes, self.processes = [], []
        for number in range(processes):
            ours, theirs = context.Pipe()
            process = context.Process(target=load_process.main, daemon=True, args=(
                theirs, url, workshop_id, list(range(number, phones, processes))))
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)

    def command(self, name: str, **args) -> list:
        """Send a command to every load process; their answers, in order."""
        for pipe in self.pipes:
            pipe.send((name, args))
        answers = [pipe.recv() for pipe in self.pipes]
        for status, value in answers:
            if status != "ok":
                raise RuntimeError(f"load process failed on {name}: {value}")
        return [value for _, value in answers]

    def gathered(self, name: str, **args) -> list:
        return [item for answer in self.command(name, **args) for item in answer]

    def close(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send(("close", {}))
                pipe.recv()
            except (EOFError, OSError):
                pass
        for process in self.processes:
            process.join(timeout=20)
            if process.is_alive():
                process.kill()


def call(client, event: str, payload: dict) -> dict:
    """A console action; a refusal stops the run (the scenario itself is wrong)."""
    reply = client.call(event, payload, timeout=60)
    if not reply.get("ok"):
        raise RuntimeError(f"{event} refused: {reply}")
    return reply


def run(settings: Settings, folder: Path) -> dict:
    """Run the whole scenario once; the figures as a dict."""
    target = make_target(settings.target, folder, settings.mode, settings.database_url)
    target.start()
    pool = None
    try:
        info = target.setup()
        watch, projector = ServerWatch(target.pids), Projector(info["projector"])
        stack = StackWatch(target.helpers()) if target.helpers() else None
        pool = LoadPool(target.url, info["workshop_id"], settings.phones, settings.loaders)
        scenario = Scenario(settings, target, info, pool, watch, projector, stack)
        return scenario.play()
    finally:
        if pool:
            pool.close()
        target.stop()


class Scenario:
    """The phases of one run, each returning its figures."""

    def __init__(self, settings, target, info, pool, watch, projector, stack=None):
        self.settings, self.target, self.info = settings, target, info
        self.pool, self.watch, self.projector, self.stack = pool, watch, projector, stack
        self.console = info["console"]
        self.random = random.Random(settings.seed)  # the coordinator's draws: voters, churners
        self.steps_run = 0  # numbers each sweep step, which seeds its schedule

    def play(self) -> dict:
        figures = {"settings": {k: v for k, v in vars(self.settings).items()
                                if k != "database_url"},
                   "join": self.join()}
        if figures["join"]["joined"] < self.settings.phones:
            # What gave first: the rest of the scenario needs every phone in the room.
            figures["stopped"] = "not every phone could join"
            figures["server_peak_mb"] = self.watch.peak_mb()
            return figures
        call(self.console, "phase:set", {"phase": "contribute"})
        figures["contribute"] = self.contribute()
        call(self.console, "phase:set", {"phase": "review"})
        call(self.console, "phase:set", {"phase": "vote"})
        burst_round = self.open_round()
        figures["burst"] = self.burst(burst_round)
        figures["reveal"] = self.reveal(burst_round)
        if self.settings.sweep_rates:
            figures["sweep"], figures["ceiling"] = self.sweep(self.open_round())
        figures["server_peak_mb"] = self.watch.peak_mb()
        figures["valid"] = all(phase.get("load", {}).get("valid", True)
                               for phase in figures.values() if isinstance(phase, dict))
        return figures

    def measured(self, name: str, **args) -> tuple[list, dict]:
        """Run a load command; its answers plus server and load-generator busyness."""
        self.watch.mark()
        if self.stack:
            self.stack.mark()
        self.pool.command("monitor")
        answers = self.pool.command(name, **args)
        loads = self.pool.command("monitor")
        busiest = max(loads, key=lambda load: load["cpu"])
        load = {"cpu": round(sum(item["cpu"] for item in loads), 3),
                "busiest_cpu": round(busiest["cpu"], 3),
                "lag_p99": round(max(item["lag_p99"] for item in loads), 4),
                "valid": all(item["cpu"] < SATURATED_CPU and item["lag_p99"] < SATURATED_LAG
                             for item in loads)}
        server = self.watch.reading()
        busy = {"server_cpu": round(server["cpu"], 3),
                "server_cpu_seconds": round(server["cpu_seconds"], 2), "load": load}
        if self.stack:
            busy["stack_cpu"] = self.stack.reading()
        return answers, busy

    def join(self) -> dict:
        """The storm: each join is the consent page, its post, the socket and the first sync."""
        started = time.time() + 0.5
        answers, busy = self.measured("join", code=self.info["code"], groups=self.info["groups"],
                                      window=self.settings.join_window, started=started,
                                      seed=self.settings.seed)
        joins = [item for answer in answers for item in answer]
        ready = [item["ready"] for item in joins if item["ready"]]
        errors = sorted({item["error"] for item in joins if item["error"]})
        return {"phones": len(joins), "joined": len(ready), "errors": errors[:5],
                "retries": sum(item["retries"] for item in joins),
                "phones_retrying": sum(item["retries"] > 0 for item in joins),
                "all_joined_after": round(max(ready) - started, 2) if ready else None,
                "each": _ms(percentiles([item["ready"] - item["begun"]
                                         for item in joins if item["ready"]])),
                "server_cpu_ms_per_join": (round(busy["server_cpu_seconds"] * 1000 / len(ready), 2)
                                           if ready else None),
                "joined_rows": self.target.joined_rows(self.info["workshop_id"]),
                "spread": self.target.spread(), **busy}

    def contribute(self) -> dict:
        count = max(1, int(self.settings.phones * self.settings.card_share))
        _, busy = self.measured("contribute", indices=list(range(count)),
                                window=self.settings.card_window,
                                started=time.time() + 0.2, seed=self.settings.seed)
        records = self.pool.gathered("collect")
        return {"cards_sent": len(records), "acked": sum(bool(r["ok"]) for r in records), **busy}

    def open_round(self) -> dict:
        return call(self.console, "round:open", {
            "mode": "dots", "budget": self.settings.budget,
            "max_per_card": self.settings.max_per_card, "hide_until_reveal": False})["round"]

    def burst(self, vote_round: dict) -> dict:
        phones = self.settings.phones
        voters = self.random.sample(range(phones), int(phones * self.settings.voter_share))
        churners = self.random.sample(voters, int(phones * self.settings.churn_share))
        self.projector.take()
        rules = {"budget": self.settings.budget, "max_per_card": self.settings.max_per_card,
                 "start_window": self.settings.vote_start_window, "tap_gap": self.settings.tap_gap}
        _, busy = self.measured("vote", voters=voters, churners=churners,
                                round_id=vote_round["id"], card_ids=vote_round["card_ids"],
                                rules=rules, started=time.time() + 0.5, seed=self.settings.seed)
        self.records = self.pool.gathered("collect")
        time.sleep(0.5)  # the last tally of the burst
        tallies = self.projector.take()
        # A vote that waited on a phone while it was offline cannot reach the wall before the
        # phone is back: those are measured apart, so the server's own delay is not hidden.
        steady = [record for record in self.records if not record["resent"]]
        resent = [record for record in self.records if record["resent"]]
        latencies, never = projector_latencies(steady, tallies)
        after_drop, never_after_drop = projector_latencies(resent, tallies)
        sent = [record["sent"] for record in self.records]
        return {"voters": len(voters), "churned": len(churners), "votes": len(self.records),
                "lasted": round(max(sent) - min(sent), 2) if sent else None,
                "projector": _ms(percentiles(latencies)),
                "projector_resent": _ms(percentiles(after_drop)),
                "never_shown": never + never_after_drop, **busy}

    def reveal(self, vote_round: dict) -> dict:
        call(self.console, "round:close", {"round_id": vote_round["id"]})
        time.sleep(1.0)  # let the close reach every phone, so the reveal is measured alone
        started = time.time()
        results = call(self.console, "round:reveal", {"round_id": vote_round["id"]})["results"]
        heard = self.pool.gathered("wait_reveal", timeout=30)
        reached = [moment for moment in heard if moment]
        counted = sum(group["dots"] for card in results["cards"]
                      for group in card.get("groups", [card]))
        stored = self.target.stored(self.info["workshop_id"], vote_round["id"])
        return {"phones_reached": len(reached), "phones": len(heard),
                "last_phone_after": round(max(reached) - started, 3) if reached else None,
                "actions": accounting(self.records, counted, stored)}

    def sweep(self, vote_round: dict) -> tuple[list[dict], dict]:
        """Steady vote rates, rising, then closer to where the server gave; and its ceiling."""
        steps, ceiling = find_ceiling(self.settings.sweep_rates,
                                      lambda rate: self.steady(vote_round, rate))
        call(self.console, "round:close", {"round_id": vote_round["id"]})
        return steps, {**ceiling, "load": load_at_the_top(steps, ceiling, self.settings.loaders)}

    def steady(self, vote_round: dict, rate: float) -> dict:
        """One step of the sweep: exactly rate x seconds votes, evenly spaced, judged."""
        self.steps_run += 1
        plan = schedule(self.settings.phones, rate, self.settings.sweep_seconds,
                        self.settings.seed, self.steps_run)
        self.projector.take()
        _, busy = self.measured("steady", plan=plan, round_id=vote_round["id"],
                                card_ids=vote_round["card_ids"], started=time.time() + 0.3,
                                settle=20, seed=self.settings.seed, step=self.steps_run)
        records = self.pool.gathered("collect")
        applied = [record["audit_seq"] for record in records if record["audit_seq"]]
        # Wait for the wall to show the step's last vote, so a slow wall reads as a backlog
        # (drained_after) and not as votes never shown.
        tallies = self.projector.take_through(max(applied, default=None), timeout=15)
        latencies, never = projector_latencies(records, tallies)
        step = judge(rate, records, latencies, never, busy["load"],
                     drained_after(records, tallies))
        return {**step, "step": self.steps_run, "projector": _ms(step["projector"]), **busy}


def _ms(figures: dict) -> dict:
    return {key: (round(value * 1000, 1) if isinstance(value, float) else value)
            for key, value in figures.items()}  # milliseconds, for reading
