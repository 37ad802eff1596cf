"""The database connection is lost in the middle of a request: nothing is half-written.

A zone official approves a claim. The decision writes the claim, an audit event, a rematch
marker, a notification and its outbox entry in one transaction. After the first two writes
the test terminates the request's PostgreSQL session from another connection
(``pg_terminate_backend``); the request fails with a server error, and none of the writes
is there. The same decision then succeeds on a fresh connection.
"""

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ecosystem.core.models import AuditEvent, Notification, OutboxTask
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.services import claims as claim_services
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing.models import RematchMarker
from tests.factories import ZoneFactory, ZoneOfficialFactory
from tests.worlds.zone import submit_claim

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def terminate(pid: int) -> None:
    """End a PostgreSQL session from a connection of its own, as a failover or a network
    cut would."""
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(key, None)
    with psycopg.connect(**params, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)


def state(claim) -> tuple:
    current = QualificationClaim.objects.get(pk=claim.pk)
    return (
        current.status,
        current.version,
        current.decided_at,
        AuditEvent.objects.count(),
        RematchMarker.objects.count(),
        Notification.objects.count(),
        OutboxTask.objects.count(),
    )


def test_connection_lost_between_two_writes_leaves_nothing_half_written(
    require_postgres, monkeypatch
):
    zone = ZoneFactory()
    claim, _member = submit_claim(zone)
    official = ZoneOfficialFactory(zone=zone)
    RematchMarker.objects.all().delete()
    OutboxTask.objects.all().delete()
    before = state(claim)
    assert before[0] == ClaimStatus.SUBMITTED

    written_before_the_cut = []
    original = claim_services.rematch_later

    def cut_the_connection(**kwargs):
        """Runs after the claim update and the audit insert, inside their transaction."""
        current = QualificationClaim.objects.get(pk=claim.pk)
        written_before_the_cut.append(
            (current.status, AuditEvent.objects.filter(verb="claim.verified").count())
        )
        terminate(connection.connection.info.backend_pid)
        return original(**kwargs)

    monkeypatch.setattr(claim_services, "rematch_later", cut_the_connection)
    client = Client(raise_request_exception=False)
    client.force_login(official)
    url = reverse("zone_claim_decide", args=[claim.pk])
    response = client.post(url, {"to": "verified"})

    # The request got as far as two writes, then failed as a server error.
    assert written_before_the_cut == [(ClaimStatus.VERIFIED, 1)]
    assert response.status_code == 500
    # Nothing of it reached the database.
    assert state(claim) == before

    # The next request gets a fresh connection and the same decision goes through, once.
    monkeypatch.setattr(claim_services, "rematch_later", original)
    client = Client()
    client.force_login(official)
    assert client.post(url, {"to": "verified"}).status_code == 302
    after = state(claim)
    assert after[0] == ClaimStatus.VERIFIED
    assert AuditEvent.objects.filter(verb="claim.verified").count() == 1
    assert RematchMarker.objects.filter(enterprise_id=claim.enterprise_id).count() <= 1
