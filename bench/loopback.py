"""gunicorn on loopback with production settings, the peak RSS of its workers, and a
threaded keep-alive HTTP client to load it (``bench/leads_bench.py``, part (b))."""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn on loopback with production settings; RSS of its workers sampled."""

    def __init__(
        self,
        *,
        database_url: str,
        workers: int = 2,
        settings: str = "portal.settings.production",
        env: dict | None = None,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "SECRET_KEY": os.urandom(32).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "PLAIN_HTTP_LOOPBACK": "1",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        for name in ("REDIS_URL", "DJANGO_DEBUG"):
            self.env.pop(name, None)
        self.peak_worker_mb = 0.0
        self.peak_total_mb = 0.0
        self._stop = threading.Event()

    def __enter__(self):
        import requests

        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log")
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.proc = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(self.workers), "--timeout", "60"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            self.__exit__(None, None, None)
            raise SystemExit("gunicorn did not come up")
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        return self

    def _sample(self) -> None:
        import psutil

        master = psutil.Process(self.proc.pid)
        while not self._stop.is_set():
            try:
                workers = master.children()
                rss = [w.memory_info().rss / 2**20 for w in workers]
                total = master.memory_info().rss / 2**20 + sum(rss)
            except psutil.Error:
                rss, total = [], 0.0
            self.peak_worker_mb = max([self.peak_worker_mb, *rss])
            self.peak_total_mb = max(self.peak_total_mb, total)
            self._stop.wait(0.2)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def hammer(url: str, *, seconds: float, concurrency: int, headers: dict | None = None) -> dict:
    """``concurrency`` threads, each with its own keep-alive session, for ``seconds``."""
    import requests

    counts = {"ok": 0, "errors": 0}
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        session = requests.Session()
        session.headers.update(headers or {})
        ok = errors = 0
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                response = session.get(url, timeout=30)
                good = response.status_code == 200
            except requests.RequestException:
                good = False
            mine.append((time.perf_counter() - started) * 1000)
            ok, errors = ok + good, errors + (not good)
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "rps": round(counts["ok"] / elapsed, 1),
        "errors": counts["errors"],
        "requests": counts["ok"] + counts["errors"],
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
    }
