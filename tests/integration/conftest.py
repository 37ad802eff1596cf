"""Fixtures of the worker-kill tests: a Celery queue of the test's own and worker
subprocesses on it, killed and waited out at the end."""

import uuid

import pytest

from portal.celery import app
from tests.integration.processes import Worker, backends, forget_queue, wait_for


@pytest.fixture
def queue(require_postgres, require_redis):
    """A queue of this test's own; the test process sends to it, never eagerly."""
    name = f"test-kill-{uuid.uuid4().hex[:10]}"
    app.conf.task_always_eager = False
    yield name
    app.conf.task_always_eager = True
    forget_queue(name)


@pytest.fixture
def workers(queue, tmp_path):
    """``workers()`` starts one more worker on the queue."""
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(queue, tmp_path).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
    if started:  # the killed workers' database sessions end once PostgreSQL notices
        wait_for(lambda: not backends(started[0].app_name), "the workers' sessions to end")
