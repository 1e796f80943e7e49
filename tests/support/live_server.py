"""The real server (`python run.py`) in a subprocess, on a free port, for end-to-end tests."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

from .ports import free_port

ROOT = Path(__file__).resolve().parents[2]


class LiveServer:
    """Starts run.py with its own database; `url` is where it listens."""

    def __init__(self, database_url: str, *, async_mode: str = "eventlet", env: dict | None = None,
                 log_path: Path | None = None, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.log_path = log_path or Path(f"/tmp/coprod-live-{self.port}.log")
        self.env = {**os.environ, "DATABASE_URL": database_url, "COPROD_PORT": str(self.port),
                    "COPROD_ASYNC_MODE": async_mode, "COPROD_SECRET_KEY": "live test secret",
                    "COPROD_PUBLIC_URL": self.url, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.process = None

    def start(self, timeout: float = 40) -> "LiveServer":
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen([sys.executable, str(ROOT / "run.py")], cwd=ROOT,
                                        env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"coprod exited early:\n{self.output()}")
            try:
                if requests.get(self.url + "/", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"coprod did not start in {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def setup_link(self) -> str:
        """The one-time link the server printed on its first start."""
        match = re.search(r"(http://\S+/setup/\S+)", self.output())
        assert match, f"no setup link printed:\n{self.output()}"
        return match.group(1).replace("127.0.0.1:" + str(self.port), f"127.0.0.1:{self.port}")

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        """Run `flask --app coprod ...` against the same database."""
        return subprocess.run([sys.executable, "-m", "flask", "--app", "coprod", *args], cwd=ROOT,
                              env=self.env, input=stdin, capture_output=True, text=True,
                              check=True)

    def kill(self) -> None:
        """End the server at once with SIGKILL, as a crash or a power cut would."""
        self.process.kill()
        self.process.wait()
        self._log.close()

    def restart(self, timeout: float = 40) -> "LiveServer":
        """Start run.py again on the same port and database; the first run's log is kept beside."""
        self.log_path.rename(self.log_path.with_suffix(".before-restart.log"))
        return self.start(timeout)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()
