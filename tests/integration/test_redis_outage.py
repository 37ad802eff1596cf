"""Redis (broker, result backend and cache at once) stops: people still sign in, a claim
submission answers at once and its work waits in the outbox until Redis is back, and the
readiness probe says what is down while the liveness probe stays up.

Each test runs a ``redis-server`` of its own on a free port (never the shared one) and
points this process's broker, result backend and cache at it (the cache as production
configures it: fail-open, with short timeouts).
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from ecosystem.core.models import OutboxTask
from ecosystem.core.outbox import outbox_sweep
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import RegistryEntry
from tests.conftest import need_service
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    UserFactory,
)
from tests.integration.processes import (
    RedisServer,
    Worker,
    backends,
    broker_at,
    cache_settings_at,
    wait_for,
)

pytestmark = [
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

#: A bound, not a speed measure: a request that waited on Redis's retries took 19–38 s.
ANSWERS_WITHIN_S = 3.0
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def own_redis(require_postgres, require_redis, tmp_path):
    problem = RedisServer.available()
    need_service("redis-server", problem is None, problem or "")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def on_own_redis(own_redis):
    """Broker, result backend and cache of this process on ``own_redis``."""
    queue = f"test-redis-outage-{uuid.uuid4().hex[:8]}"
    with override_settings(CACHES=cache_settings_at(own_redis.url)):
        with broker_at(own_redis.url, queue, results=True):
            yield queue
        from django.core.cache import cache

        if own_redis.answers():
            cache.clear()


def draft_claim_on_the_list():
    """A member's draft claim, with evidence, that the program's official list proves."""
    program = ProgramFactory(code=f"hte-{uuid.uuid4().hex[:6]}")
    enterprise = EnterpriseFactory()
    member = EnterpriseMemberFactory(enterprise=enterprise)
    RegistryEntry.objects.create(
        program=program,
        batch="2025年第一批",
        uscc=enterprise.uscc,
        name=enterprise.name,
        year=2025,
        valid_until=timezone.localdate() + timedelta(days=365),
        status=RegistryEntry.Status.CURRENT,
    )
    claim = es.claim_create(
        enterprise=enterprise,
        actor=member,
        program=program,
        certificate_number="GR202511000001",
        year=2025,
    )
    es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF))
    return member, claim


def test_with_redis_down_people_still_sign_in(own_redis, on_own_redis):
    UserFactory(email="someone@example.com")
    own_redis.stop()
    client = Client(headers={"accept-language": "en"})
    response = client.post(
        reverse("account_login"), {"login": "someone@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SESSION_KEY in client.session
    # A wrong password is still only a wrong password (the limits fail open, not closed).
    other = Client(headers={"accept-language": "en"})
    response = other.post(
        reverse("account_login"), {"login": "someone@example.com", "password": "wrong"}
    )
    assert response.status_code == 200
    assert SESSION_KEY not in other.session


def test_with_redis_down_a_submission_answers_at_once_and_is_delivered_once_it_is_back(
    own_redis, on_own_redis, tmp_path
):
    member, claim = draft_claim_on_the_list()
    client = Client(headers={"accept-language": "en"})
    client.force_login(member)
    own_redis.stop()

    started = time.monotonic()
    response = client.post(
        reverse("claim_submit", args=[claim.enterprise_id, claim.pk]), {"message": ""}
    )
    took = time.monotonic() - started

    assert response.status_code == 302, response.content.decode()[:2000]
    assert took < ANSWERS_WITHIN_S, f"the submission waited {took:.1f} s on a dead Redis"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    waiting = set(OutboxTask.objects.values_list("task", flat=True))
    assert "ecosystem.registries.tasks.verify_claim" in waiting

    own_redis.start()
    worker = Worker(on_own_redis, tmp_path, redis_url=own_redis.url).start()
    try:
        assert outbox_sweep(older_than_seconds=0) == len(waiting)
        wait_for(
            lambda: QualificationClaim.objects.get(pk=claim.pk).status == ClaimStatus.VERIFIED,
            "the claim to be verified from the official list",
            [worker],
        )
        assert not OutboxTask.objects.filter(task="ecosystem.registries.tasks.verify_claim")
    finally:
        worker.kill()
        wait_for(lambda: not backends(worker.app_name), "the worker's session to end")


def test_readiness_names_what_is_down_and_recovers_while_liveness_stays_up(own_redis, on_own_redis):
    client = Client()
    ready = reverse("healthz-ready")
    response = client.get(ready)
    assert (response.status_code, response.json()) == (
        200,
        {"database": "ok", "cache": "ok", "broker": "ok"},
    )

    own_redis.stop()
    response = client.get(ready)
    assert (response.status_code, response.json()) == (
        503,
        {"database": "ok", "cache": "down", "broker": "down"},
    )
    assert client.get(reverse("healthz")).status_code == 200

    own_redis.start()
    response = client.get(ready)
    assert (response.status_code, response.json()) == (
        200,
        {"database": "ok", "cache": "ok", "broker": "ok"},
    )
