"""Durable task enqueueing: a change's Celery tasks survive a broker outage.

``send_after_commit`` records the task in the change's transaction and sends it after
commit; if the send fails for any reason (the broker unreachable, the result backend's
retries exhausted, a timeout) the record stays, and ``outbox_sweep`` (a beat task) sends it
once Redis is back. The change is committed by then, so the request that made it still
answers success. Tasks are idempotent, so a task sent twice (a sweep
racing a slow send) does no harm.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from ecosystem.core.models import OutboxTask

logger = logging.getLogger(__name__)

#: What a send raises when the broker cannot be reached (named in the log).
BROKER_ERRORS = (OperationalError, ConnectionError, OSError, TimeoutError)


def send_after_commit(task, *args) -> OutboxTask:
    """Send ``task(*args)`` once the current transaction commits, durably."""
    entry = OutboxTask.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: _send(entry.pk, task, args))
    return entry


def _send(entry_id: int, task, args) -> bool:
    try:
        task.apply_async(args=list(args))
    except Exception as exc:  # whatever a send raises, the commit stands
        if task.app.conf.task_always_eager and not isinstance(exc, BROKER_ERRORS):
            raise  # an eager "send" ran the task here: its error is a bug, not an outage
        # Not only the broker: the Redis result backend subscribes to the task's result
        # before sending and raises its own errors once its retries run out.
        reason = "broker unreachable" if isinstance(exc, BROKER_ERRORS) else repr(exc)
        logger.warning("%s%s deferred to the outbox sweeper: %s", task.name, args, reason)
        OutboxTask.objects.filter(pk=entry_id).update(attempts=F("attempts") + 1)
        return False
    OutboxTask.objects.filter(pk=entry_id).delete()
    return True


def outbox_sweep(*, older_than_seconds: int = 60, limit: int = 500) -> int:
    """Send what a broker outage left behind; stop at the first failure. Returns how many
    tasks were sent."""
    from portal.celery import app

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    for entry in OutboxTask.objects.filter(created_at__lte=cutoff)[:limit]:
        if not _send(entry.pk, app.tasks[entry.task], entry.args):
            break
        sent += 1
    return sent
