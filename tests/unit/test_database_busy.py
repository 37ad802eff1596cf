"""Two writes at once: while another transaction holds the claim, an official's decision
answers 409 (API) or a page asking to try again, never a 500, and changes nothing.

On SQLite the other transaction's write lock makes the request fail with "database table
is locked"; on PostgreSQL the decision waits for the row lock until ``lock_timeout``.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import ZoneFactory, ZoneOfficialFactory
from tests.worlds.zone import submit_claim

pytestmark = pytest.mark.django_db(transaction=True)


class HeldClaim:
    """A transaction in another thread that has written the claim and keeps it open."""

    def __init__(self, claim):
        self.claim = claim
        self.ready, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic():
                QualificationClaim.objects.filter(pk=self.claim.pk).update(
                    updated_at=timezone.now()
                )
                self.ready.set()
                self.release.wait(30)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(30)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(30)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")


@pytest.fixture
def claim_and_official():
    zone = ZoneFactory()
    claim, _member = submit_claim(zone)
    return claim, ZoneOfficialFactory(zone=zone)


def test_a_decision_racing_another_write_is_a_409_in_the_api(claim_and_official):
    claim, official = claim_and_official
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(official)
    url = reverse("api-zone-claim-decide", args=[claim.pk])
    with HeldClaim(claim):
        response = client.post(url, {"to": "verified"}, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "busy"
    assert QualificationClaim.objects.get(pk=claim.pk).status == ClaimStatus.SUBMITTED
    # Once the other write is done, the same decision goes through.
    assert client.post(url, {"to": "verified"}, format="json").status_code == 200


def test_a_decision_racing_another_write_shows_a_page_to_try_again(claim_and_official):
    claim, official = claim_and_official
    client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    client.force_login(official)
    with HeldClaim(claim):
        response = client.post(reverse("zone_claim_decide", args=[claim.pk]), {"to": "verified"})
    assert response.status_code == 409
    assert "Someone else was changing the same thing" in response.content.decode()
    assert QualificationClaim.objects.get(pk=claim.pk).status == ClaimStatus.SUBMITTED
