"""Real services: PostgreSQL, Redis and a Celery worker thread consuming from Redis."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from ecosystem.core.models import Notification
from ecosystem.core.services import notify
from ecosystem.core.tasks import send_notification_email
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_task_through_real_worker_writes_a_row_read_back_from_postgres(
    require_postgres, celery_worker
):
    user = UserFactory()
    notification = Notification.objects.create(recipient=user, kind="test", title="你好")
    result = send_notification_email.delay(notification.pk)
    assert result.get(timeout=30) == notification.pk
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[user.email]]
    # Running it twice sends nothing more: the task is idempotent.
    send_notification_email.delay(notification.pk).get(timeout=30)
    assert len(mail.outbox) == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_notify_enqueues_after_commit_to_the_worker(require_postgres, celery_worker):
    user = UserFactory()
    [notification] = notify(user, "test", title="Hello", body="Body", url="/")
    # on_commit has run (no surrounding transaction); wait on the task's own result.

    send_notification_email.delay(notification.pk).get(timeout=30)
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.redis
def test_redis_answers(require_redis):
    """Probe used below: skips (or fails under REQUIRE_SERVICES=1) when Redis is absent."""


def _run_probe(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "REQUIRE_SERVICES")}
    env.update({"REDIS_URL": "", "DJANGO_ALLOW_ASYNC_UNSAFE": "true", **extra_env})
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "tests/integration/test_services_real.py::test_redis_answers",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_missing_service_skips_normally_and_fails_under_require_services():
    relaxed = _run_probe({})
    assert relaxed.returncode == 0, relaxed.stdout
    assert "1 skipped" in relaxed.stdout
    strict = _run_probe({"REQUIRE_SERVICES": "1"})
    assert strict.returncode == 1, strict.stdout
    assert "1 failed" in strict.stdout or "1 error" in strict.stdout
