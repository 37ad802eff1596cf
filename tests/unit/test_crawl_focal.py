"""The crawl's focal objects (``bench/crawl_focal.py``) are made once on a world and found
again by every later run: a crawl run again and again on the same world makes nothing
twice, finds nothing expired and finds the files its pages serve; and a crawl's pages
(``bench/crawl_bench.py``, a transaction each, rolled back) leave the world as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from bench import crawl_bench
from bench.crawl_focal import focal
from ecosystem.accounts.models import Invitation
from ecosystem.core.export_jobs.models import ExportJob
from ecosystem.enterprises.models import AccessLogEntry, QualificationClaim
from ecosystem.financing.models import CampaignInvitation

pytestmark = pytest.mark.django_db(transaction=True)
MODELS = (QualificationClaim, Invitation, CampaignInvitation, ExportJob, AccessLogEntry)


@pytest.fixture
def world():
    """A world of ``bench.world`` at its smallest size (1,000 firms), its record."""
    from bench.world import build, sizes

    return build(sizes(0.001))


def _pks(made: dict) -> dict:
    return {key: getattr(obj, "pk", None) for key, obj in made["objects"].items()}


def test_a_second_run_finds_the_focal_objects_and_makes_nothing(world):
    first = focal(world)
    counts = {model: model.objects.count() for model in MODELS}
    second = focal(world)
    assert _pks(second) == _pks(first)
    assert second["values"] == first["values"]
    assert {model: model.objects.count() for model in MODELS} == counts


def test_each_run_moves_the_expiry_dates_on_and_writes_the_files_again(world):
    made = focal(world)
    past = timezone.now() - timedelta(days=1)
    for model in (Invitation, CampaignInvitation, ExportJob):
        model.objects.update(expires_at=past)
    objects = made["objects"]
    files = [objects["evidence"].file, objects["import"].file, objects["export_job"].file]
    contents = [f.storage.open(f.name).read() for f in files]
    for f in files:
        f.storage.delete(f.name)  # a later run's media folder is a new, empty one
    focal(world)
    for model in (Invitation, CampaignInvitation, ExportJob):
        assert not model.objects.filter(expires_at__lte=timezone.now()).exists(), model
    assert [f.storage.open(f.name).read() for f in files] == contents
    assert AccessLogEntry.objects.count() == objects["export_job"].rows_done  # its first run's


def test_the_pages_of_a_crawl_leave_the_world_as_they_found_it(world):
    made = focal(world)
    counts = {model: model.objects.count() for model in (*MODELS, Session)}
    pages = [
        ("lead export", "/financing/leads/export/csv/?tab=mine", ["rm"]),  # access-log rows
        ("claim", f"/enterprises/{world['enterprise']}/claims/", ["member", "official"]),
    ]
    rows = crawl_bench.crawl(made, pages, repeat=1, cap=0)
    assert [row["status"] for row in rows] == [200, 200, 200]
    assert {model: model.objects.count() for model in (*MODELS, Session)} == counts
