"""A load process: runs its share of the phones on one asyncio loop, driven over a pipe.

The coordinator sends commands ("join", "vote", ...) and gets back what the phones saw. Each
process also watches itself: CPU used and how late its loop wakes up, because a load generator
that cannot keep up makes every latency it measures look worse than the server is.
"""

import asyncio
import time

import psutil

from coprod.runtime import raise_open_file_limit

from . import phones as sim

LAG_PROBE = 0.05  # seconds between loop-lag probes


class Monitor:
    """How busy this process was since the last reading: CPU share and loop lag."""

    def __init__(self):
        self.process = psutil.Process()
        self.reset()

    def reset(self) -> None:
        self.since, self.cpu_since, self.lags = time.time(), self._cpu(), []

    def _cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

    async def probe(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(LAG_PROBE)
            self.lags.append(time.perf_counter() - before - LAG_PROBE)

    def reading(self) -> dict:
        wall = max(time.time() - self.since, 1e-6)
        lags = sorted(self.lags) or [0.0]
        reading = {"cpu": (self._cpu() - self.cpu_since) / wall, "wall": wall,
                   "lag_p99": lags[int(0.99 * (len(lags) - 1))], "lag_max": lags[-1]}
        self.reset()
        return reading


class Loader:
    """The phones of one process and the commands that drive them."""

    def __init__(self, base_url: str, workshop_id: int, indices: list[int]):
        self.phones = [sim.Phone(index, base_url, workshop_id) for index in indices]
        self.by_index = {phone.index: phone for phone in self.phones}
        self.monitor = Monitor()

    def pick(self, indices) -> list[sim.Phone]:
        return [self.by_index[index] for index in indices if index in self.by_index]

    async def run(self, command: str, args: dict):
        if command == "join":
            return await sim.join_storm(self.phones, args["code"], args["groups"], args["window"],
                                        args["started"], args["seed"])
        if command == "contribute":
            return await sim.contribute(self.pick(args["indices"]), args["window"], args["started"],
                                        args["seed"])
        if command == "vote":
            return await sim.vote_burst(self.pick(args["voters"]), set(args["churners"]),
                                        args["round_id"], args["card_ids"], args["rules"],
                                        args["started"], args["seed"])
        if command == "steady":
            # The whole room's plan comes to every process; each sends its own phones' votes.
            mine = [(offset, index) for offset, index in args["plan"] if index in self.by_index]
            await sim.steady_votes(self.by_index, mine, args["round_id"], args["card_ids"],
                                   args["started"], f"{args['seed']}:{args['step']}")
            return await sim.settle(self.phones, args["settle"])
        if command == "wait_reveal":
            return await self.wait_reveal(args["timeout"])
        if command == "collect":
            return self.collect()
        if command == "monitor":
            return self.monitor.reading()
        raise ValueError(command)

    async def wait_reveal(self, timeout: float) -> list:
        deadline = time.time() + timeout
        while time.time() < deadline and any(p.revealed_at is None for p in self.phones
                                             if p.sio):
            await asyncio.sleep(0.05)
        return [phone.revealed_at for phone in self.phones]

    def collect(self) -> list[dict]:
        """Every action sent since the last collect, with its fate; then forget them."""
        records = []
        for phone in self.phones:
            for cid, record in phone.actions.items():
                reply = record.pop("reply", None) or {}
                records.append({**record, "cid": cid, "phone": phone.index,
                                "number": phone.number, "repeat": bool(reply.get("repeat")),
                                "error": (reply.get("error") or {}).get("message")})
            phone.actions = {}
        return records

    async def close(self) -> None:
        await asyncio.gather(*(phone.close() for phone in self.phones), return_exceptions=True)


async def _serve(connection, base_url: str, workshop_id: int, indices: list[int]) -> None:
    loader = Loader(base_url, workshop_id, indices)
    probe = asyncio.ensure_future(loader.monitor.probe())
    loop = asyncio.get_running_loop()
    while True:
        command, args = await loop.run_in_executor(None, connection.recv)
        if command == "close":
            break
        try:
            connection.send(("ok", await loader.run(command, args)))
        except Exception as error:  # the coordinator reports it and stops the run
            connection.send(("error", repr(error)))
    probe.cancel()
    await loader.close()
    connection.send(("ok", None))


def main(connection, base_url: str, workshop_id: int, indices: list[int]) -> None:
    """Process entry point (multiprocessing)."""
    raise_open_file_limit(len(indices) * 2 + 200)  # a socket and an HTTP session per phone
    asyncio.run(_serve(connection, base_url, workshop_id, indices))
