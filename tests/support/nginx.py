"""nginx in front of test workers, configured with deploy/nginx-coprod.conf (as docs/deploy.md)."""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from .ports import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx-coprod.conf"
MAIN = """daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
worker_rlimit_nofile {open_files};
events {{ worker_connections {connections}; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{site}
}}
"""


class Nginx:
    """nginx on a free port, proxying to the given worker ports with the deployment's config.

    `connections` is nginx's worker_connections: each proxied phone holds two (its own and the
    one to a worker). `balance`, when given, replaces the site's `ip_hash;` line.
    """

    def __init__(self, worker_ports: list[int], connections: int = 1024,
                 balance: str | None = None):
        self.folder = Path(tempfile.mkdtemp(prefix="coprod-nginx-"))
        self.folder.chmod(0o777)  # nginx's workers drop root and still write temp files here
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = SITE.read_text().replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        servers = "".join(f"    server 127.0.0.1:{port};\n" for port in worker_ports)
        site = site.replace("    server 127.0.0.1:5001;\n    server 127.0.0.1:5002;\n", servers)
        if balance:
            site = site.replace("    ip_hash;\n", f"    {balance}\n")
        config = self.folder / "nginx.conf"
        config.write_text(MAIN.format(folder=self.folder, site=site, connections=connections,
                                      open_files=connections * 2 + 100))
        self.process = subprocess.Popen(["nginx", "-c", str(config), "-p", str(self.folder)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                requests.get(self.url + "/", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start: {self.errors()}")

    def errors(self) -> str:
        log = self.folder / "error.log"
        return log.read_text() if log.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
