"""Exports past ``EXPORT_ROW_LIMIT`` rows are not written while the user waits: they
become an export job and the user is sent to its page, which says so; a filtered export
under the limit is written at once (issue #19: the platform admin's match export streamed
1.5 million rows; docs/slow-pages.md). The limit is lowered to 5 here."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import INFO, get_messages
from django.urls import reverse
from django.utils import timezone

from ecosystem.core import exports
from ecosystem.core.export_jobs.models import ExportJob
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing.models import Match
from tests.factories import ProgramFactory, ZoneFactory, ZoneOfficialFactory
from tests.worlds.leads import World, client_for
from tests.worlds.zone import client_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limit_of_5(monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_ROW_LIMIT", 5)


def add_matches(world: World, count: int) -> None:
    firms = Enterprise.objects.bulk_create(
        Enterprise(uscc=f"91440300{i:09d}Z", name=f"企业{i}", zone_id=world.enterprise.zone_id)
        for i in range(count)
    )
    Match.objects.bulk_create(
        Match(
            enterprise=e,
            product=world.version.product,
            product_version=world.version,
            score=60,
            indicative_limit=Decimal(500_000),
            computed_at=timezone.now(),
        )
        for e in firms
    )


def became_a_job(response, owner, kind: str, filters: dict) -> bool:
    """The export is a job of ``owner`` (with the list's filters), and the user is on its
    page with a message saying why."""
    job = ExportJob.objects.get(owner=owner)
    said = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    told = any(level == INFO and " 5 " in text for level, text in said)  # either language
    return (
        response.status_code == 302
        and response.url == reverse("export_job_detail", args=[job.pk])
        and (job.kind, job.filters) == (kind, filters)
        and told
    )


def test_a_match_export_past_the_limit_becomes_a_job(django_capture_on_commit_callbacks):
    world = World()
    add_matches(world, 6)
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(world.manager).get(
            reverse("financing_bank_matches_export", args=["csv"])
        )
    assert became_a_job(response, world.manager, "financing.matches", {})


def test_a_match_export_within_the_limit_is_written():
    world = World()
    add_matches(world, 4)
    response = client_for(world.manager).get(reverse("financing_bank_matches_export", args=["csv"]))
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) >= 5


def test_a_queue_export_past_the_limit_becomes_a_job_with_its_filter(
    django_capture_on_commit_callbacks,
):
    zone = ZoneFactory()
    program = ProgramFactory()
    firm = Enterprise.objects.create(uscc="91440300000000001X", name="甲", zone=zone)
    QualificationClaim.objects.bulk_create(
        QualificationClaim(
            enterprise=firm,
            program=program,
            certificate_number=f"E{i}",
            year=2025,
            status=ClaimStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for i in range(6)
    )
    official = ZoneOfficialFactory(zone=zone)
    client = client_of(official)
    url = reverse("zone_queue_export", args=["csv"])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(url, {"kind": "claim", "page": "2"})
    assert became_a_job(response, official, "zones.review_queue", {"kind": "claim"})
    assert client.get(url, {"kind": "financial_year"}).status_code == 200
