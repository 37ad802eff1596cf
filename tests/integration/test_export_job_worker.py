"""An export past the row limit is written by a real Celery worker (a subprocess on the
test database and a queue of the test's own): the bank manager asks for the match export,
is sent to the job's page, and downloads the file the worker put in the private storage.
Waits poll the database against a deadline; nothing here measures speed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ecosystem.core import exports
from ecosystem.core.export_jobs.models import ExportJob
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing.models import Match
from tests.integration.processes import broker_at, wait_for
from tests.worlds.leads import World, client_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROWS = 12


def test_a_worker_writes_the_export_and_its_owner_downloads_it(queue, workers, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_ROW_LIMIT", 5)
    world = World()
    firms = Enterprise.objects.bulk_create(
        Enterprise(uscc=f"91440300{i:09d}W", name=f"企业{i}", zone_id=world.enterprise.zone_id)
        for i in range(ROWS)
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
    client = client_for(world.manager)
    worker = workers()
    with broker_at(settings.REDIS_URL, queue):
        response = client.get(reverse("financing_bank_matches_export", args=["csv"]))
    assert response.status_code == 302
    job = ExportJob.objects.get(owner=world.manager)
    assert response.url == reverse("export_job_detail", args=[job.pk])

    done = wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.DONE).first(),
        "the worker to write the export",
        workers=[worker],
    )
    assert (done.rows_done, done.rows_total, done.attempt) == (ROWS, ROWS, 1)
    progress = client.get(reverse("export_job_progress", args=[job.pk])).content.decode()
    assert reverse("export_job_download", args=[job.pk]) in progress
    download = client.get(reverse("export_job_download", args=[job.pk]))
    assert download.status_code == 200
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + ROWS
    other = client_for(world.manager_other_bank)
    assert other.get(reverse("export_job_download", args=[job.pk])).status_code == 404
