"""Real processes for fault tests: a Celery worker subprocess on the pytest-django test
database, a Redis server of a test's own (and pointing this process's broker, result
backend and cache at it), and polling against a deadline.

Nothing here measures speed; waits poll the database or a socket until a deadline.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 90
QUEUE_VARIABLES = (
    "CELERY_DEFAULT_QUEUE",
    "CELERY_EXPORTS_QUEUE",
    "CELERY_IMPORTS_QUEUE",
    "CELERY_MATCHING_QUEUE",
    "CELERY_NOTIFICATIONS_QUEUE",
)


def database_url_for(application_name: str) -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{quote(db['NAME'], safe='')}?application_name={application_name}"
    )


class Worker:
    """``celery -A portal worker -Q <queue> -c 1 -P solo`` on the test database. Every task
    it sends goes to the same queue (all queue settings point there)."""

    def __init__(self, queue: str, log_dir: Path, *, redis_url: str | None = None, **env):
        self.queue = queue
        self.app_name = f"fault-test-{queue}"[:63]
        self.log = log_dir / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.redis_url = redis_url or settings.REDIS_URL
        self.extra_env = env
        self.process: subprocess.Popen | None = None

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        env.update(
            DATABASE_URL=database_url_for(self.app_name),
            REDIS_URL=self.redis_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
            DJANGO_SETTINGS_MODULE="portal.settings",
            DJANGO_ALLOW_ASYNC_UNSAFE="true",
            PYTHONPATH=str(ROOT),  # this checkout's code, whatever the venv was installed from
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        )
        env.update({name: self.queue for name in QUEUE_VARIABLES})
        env.update(self.extra_env)
        return env

    def start(self) -> Worker:
        celery = Path(sys.executable).with_name("celery")
        command = [str(celery)] if celery.exists() else [sys.executable, "-m", "celery"]
        command += [
            "-A", "portal", "worker", "-Q", self.queue, "-c", "1", "-P", "solo",
            "-n", f"{self.app_name}-{uuid.uuid4().hex[:6]}@%h", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
            )
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


def backends(app_name: str, *, waiting_in: str | None = None) -> list[int]:
    """Database sessions of a worker; with ``waiting_in``, only those waiting on a lock in
    a statement that starts so."""
    sql = "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
    params = [app_name]
    if waiting_in:
        sql += " AND wait_event_type = 'Lock' AND query LIKE %s"
        params.append(waiting_in + "%")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def wait_for(condition, what: str, workers=(), deadline_s: float = DEADLINE_S):
    """Poll ``condition`` until it returns something truthy, or fail after the deadline."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        for worker in workers:
            if worker.process and worker.process.poll() is not None:
                pytest.fail(f"the worker exited while waiting for {what}:\n{worker.tail()}")
        time.sleep(0.02)
    logs = "\n".join(w.tail() for w in workers)
    pytest.fail(f"gave up waiting for {what} after {deadline_s} s\n{logs}")


def forget_queue(name: str, redis_url: str | None = None) -> None:
    """A worker killed with acks_late leaves its message in kombu's ``unacked`` hash, to be
    put back on its queue after the visibility timeout; drop it, and the queue."""
    import redis

    client = redis.Redis.from_url(redis_url or settings.REDIS_URL)
    for tag, payload in client.hscan_iter("unacked"):
        if name.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A ``redis-server`` of the test's own on a free loopback port, without persistence, so
    that stopping it never touches the shared Redis other processes use."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.log = log_dir / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @staticmethod
    def available() -> str | None:
        return None if shutil.which("redis-server") else "redis-server is not installed"

    def start(self) -> RedisServer:
        command = [
            shutil.which("redis-server") or "redis-server",
            "--bind", "127.0.0.1", "--port", str(self.port),
            "--save", "", "--appendonly", "no", "--daemonize", "no",
        ]  # fmt: skip
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for(self.answers, f"redis-server on port {self.port} to answer", deadline_s=30)
        return self

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


@contextmanager
def broker_at(url: str, queue: str, *, results: bool = False):
    """This process sends every task to ``queue`` on the Redis at ``url``, not eagerly (with
    ``results``, its result backend is there too); everything is restored afterwards."""
    from portal.celery import app

    conf = app.conf
    saved = (
        conf.broker_url,
        conf.task_routes,
        conf.task_default_queue,
        conf.task_always_eager,
    )
    saved_backend = (app._backend_cache, getattr(app._local, "backend", None))
    conf.broker_url = url
    conf.task_routes = {"*": {"queue": queue}}
    conf.task_default_queue = queue
    conf.task_always_eager = False
    app.amqp._producer_pool = None
    app._pool = None
    _forget_routes(app)
    if results:
        from celery.backends.redis import RedisBackend

        app._backend_cache = None
        app._local.backend = RedisBackend(app=app, url=url)
    try:
        yield
    finally:
        # Kombu keeps its pools in a process-wide registry keyed by the broker: on the
        # broker the process already used, the pool of the block is the process's own, so
        # closing it alone would leave every later task an "Acquire on closed pool". Close
        # them all and let the app make new ones.
        from kombu import pools

        pools.reset()
        conf.broker_url, conf.task_routes, conf.task_default_queue, conf.task_always_eager = saved
        app.amqp._producer_pool = None
        app._pool = None
        app._backend_cache, app._local.backend = saved_backend
        _forget_routes(app)


def _forget_routes(app) -> None:
    app.amqp.flush_routes()
    for cached in ("router", "default_queue"):
        app.amqp.__dict__.pop(cached, None)


def cache_settings_at(url: str) -> dict:
    """``CACHES`` as production builds it (the fail-open Redis cache, its timeouts), on
    database 1 of the Redis at ``url``."""
    from portal.settings import _redis_db

    return {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "ecosystem.core.cache.FailOpenRedisCache",
            "LOCATION": _redis_db(url, 1),
            "KEY_PREFIX": f"outage-{uuid.uuid4().hex[:6]}",
            "OPTIONS": {
                "socket_connect_timeout": settings.REDIS_CONNECT_TIMEOUT,
                "socket_timeout": settings.REDIS_SOCKET_TIMEOUT,
            },
        }
    }
