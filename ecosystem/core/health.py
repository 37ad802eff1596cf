"""Probes for load balancers and orchestrators.

``/healthz/`` (liveness) answers ``ok`` without touching the database, the cache or the
session: it says the web process serves requests, nothing more, so a Redis or database
outage never makes the balancer kill healthy web processes.

``/healthz/ready/`` (readiness) checks what a request needs: the database (``SELECT 1``),
the cache (a set and a get) and the Celery broker (a connection within a second; skipped
when Celery runs eagerly in-process). It answers 200 with ``{"database": "ok", "cache":
"ok", "broker": "ok"}``, or 503 with ``"down"`` for each failing dependency.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

#: Seconds the broker check may take.
BROKER_TIMEOUT_S = 1.0


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping is not None:  # the fail-open Redis cache would hide an outage from set/get
        ping()
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was just set")
    cache.delete(key)


def _broker() -> str:
    from portal.celery import app

    if app.conf.task_always_eager or str(app.conf.broker_url).startswith("memory://"):
        return "skipped"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_S)
    return "ok"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


@never_cache
@require_safe
def ready(request):
    """Readiness: 200 when every dependency answers, 503 naming those that do not."""
    state = {}
    for name, check in CHECKS.items():
        try:
            state[name] = check() or "ok"
        except Exception as exc:  # any failure means "not ready"
            logger.warning("readiness: %s is down: %r", name, exc)
            state[name] = "down"
    status = 503 if "down" in state.values() else 200
    return JsonResponse(state, status=status)
