"""Export jobs: an export past the row limit is written by a worker to the private storage,
for its owner only, as the owner's scope is when it runs; its page shows progress and, when
done, a download that checks the owner again; expired files are deleted (issue #19).
The row limit is lowered to 5 here; the task runs eagerly after commit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ecosystem.accounts.models import Membership
from ecosystem.core import exports
from ecosystem.core.export_jobs import services
from ecosystem.core.export_jobs.models import ExportJob
from ecosystem.core.storage import private_storage
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing.models import Match
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db
S = ExportJob.Status


@pytest.fixture(autouse=True)
def limit_of_5(monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_ROW_LIMIT", 5)


def add_matches(world: World, count: int, *, version=None) -> None:
    version = version or world.version
    firms = Enterprise.objects.bulk_create(
        Enterprise(uscc=f"91440300{i:09d}Z", name=f"企业{i}", zone_id=world.enterprise.zone_id)
        for i in range(count)
    )
    Match.objects.bulk_create(
        Match(
            enterprise=e,
            product=version.product,
            product_version=version,
            score=60,
            indicative_limit=Decimal(500_000),
            computed_at=timezone.now(),
        )
        for e in firms
    )


def ask(client, capture, fmt="csv", **query):
    """Ask for the match export; the job's task runs after commit. Returns the job."""
    with capture(execute=True):
        response = client.get(reverse("financing_bank_matches_export", args=[fmt]), query)
    assert response.status_code == 302, response.status_code
    return ExportJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[-1]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_large_export_is_written_to_private_storage_for_its_owner(
    django_capture_on_commit_callbacks,
):
    world = World()
    add_matches(world, 7)
    client = client_for(world.manager)
    job = ask(client, django_capture_on_commit_callbacks)
    assert (job.status, job.rows_done, job.rows_total) == (S.DONE, 7, 7)
    assert job.file.name.startswith(f"exports/{world.manager.pk}/")
    assert job.expires_at > timezone.now()
    page = client.get(reverse("export_job_detail", args=[job.pk])).content.decode()
    assert reverse("export_job_download", args=[job.pk]) in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    lines = body(response).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 7
    assert 'filename="matches-all-' in response["Content-Disposition"]


def test_an_xlsx_job_writes_a_workbook(django_capture_on_commit_callbacks):
    from io import BytesIO

    from openpyxl import load_workbook

    world = World()
    add_matches(world, 6)
    client = client_for(world.manager)
    job = ask(client, django_capture_on_commit_callbacks, fmt="xlsx")
    data = body(client.get(reverse("export_job_download", args=[job.pk])))
    assert load_workbook(BytesIO(data)).active.max_row == 1 + 6


def test_asking_again_while_it_runs_returns_the_same_job(django_capture_on_commit_callbacks):
    world = World()
    add_matches(world, 6)
    client = client_for(world.manager)
    url = reverse("financing_bank_matches_export", args=["csv"])
    with django_capture_on_commit_callbacks(execute=False):
        first, second = client.get(url), client.get(url)
    assert first.url == second.url
    assert ExportJob.objects.filter(owner=world.manager).count() == 1
    page = client.get(first.url).content.decode()
    assert "hx-trigger" in page  # waiting: the page polls its progress
    assert 'data-testid="export-preparing"' in page


@pytest.mark.parametrize("who", ["rm", "manager_other_bank", "member", "rm_other_bank"])
def test_nobody_but_the_owner_sees_the_job_or_its_file(who, django_capture_on_commit_callbacks):
    world = World()
    add_matches(world, 6)
    job = ask(client_for(world.manager), django_capture_on_commit_callbacks)
    other = client_for(getattr(world, who))
    for name in ("export_job_detail", "export_job_progress", "export_job_download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404, name
    listed = other.get(reverse("export_job_list")).content.decode()
    assert reverse("export_job_detail", args=[job.pk]) not in listed


def test_a_job_run_after_the_owner_lost_the_role_writes_nothing(
    django_capture_on_commit_callbacks,
):
    world = World()
    add_matches(world, 6)
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(world.manager).get(
            reverse("financing_bank_matches_export", args=["csv"])
        )
    job = ExportJob.objects.get(owner=world.manager)
    Membership.objects.filter(user=world.manager).delete()
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure, job.file.name) == (S.FAILED, "no_access", "")
    assert not private_storage.exists(f"exports/{world.manager.pk}")
    page = client_for(world.manager).get(response.url).content.decode()
    assert "no longer have access" in page or "无权" in page


def test_a_job_for_a_product_the_owner_no_longer_sees_writes_nothing():
    world = World()
    add_matches(world, 6)
    job = ExportJob.objects.create(
        owner=world.manager,
        kind="financing.matches",
        filters={"product": str(world.version.product_id)},
    )
    world.version.product.bank = world.manager_other_bank.memberships.first().bank
    world.version.product.save(update_fields=["bank"])
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure) == (S.FAILED, "no_access")


def test_the_file_is_not_served_once_the_owner_lost_the_role(django_capture_on_commit_callbacks):
    world = World()
    add_matches(world, 6)
    client = client_for(world.manager)
    job = ask(client, django_capture_on_commit_callbacks)
    Membership.objects.filter(user=world.manager).delete()
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_running_the_task_twice_writes_one_file(django_capture_on_commit_callbacks, monkeypatch):
    """A redelivered task finds the job done and does nothing; a run overtaken by a later
    one (a lost worker's task delivered again) deletes its own file and leaves the job to
    the later run."""
    world = World()
    add_matches(world, 6)
    with django_capture_on_commit_callbacks(execute=False):
        client_for(world.manager).get(reverse("financing_bank_matches_export", args=["csv"]))
    job = ExportJob.objects.get(owner=world.manager)
    write = services.write_table

    def overtaken(*args, **kwargs):
        services._claim(job.pk)  # another run takes the job while this one writes
        return write(*args, **kwargs)

    monkeypatch.setattr(services, "write_table", overtaken)
    assert services.export_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.attempt, job.file.name) == (S.RUNNING, 2, "")
    assert private_storage.listdir(f"exports/{world.manager.pk}")[1] == []
    monkeypatch.setattr(services, "write_table", write)
    assert services.export_job_run(job_id=job.pk).status == S.DONE
    assert services.export_job_run(job_id=job.pk) is None  # delivered once more: nothing
    job.refresh_from_db()
    assert job.attempt == 3
    assert private_storage.listdir(f"exports/{world.manager.pk}")[1] == [
        job.file.name.rsplit("/", 1)[-1]
    ]


def test_the_cleanup_deletes_expired_files(django_capture_on_commit_callbacks):
    world = World()
    add_matches(world, 6)
    client = client_for(world.manager)
    job = ask(client, django_capture_on_commit_callbacks)
    name = job.file.name
    assert services.export_jobs_cleanup() == 0
    assert services.export_jobs_cleanup(now=job.expires_at + timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert (job.status, job.file.name) == (S.EXPIRED, "")
    assert not private_storage.exists(name)
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_my_exports_shows_labels_not_codes(django_capture_on_commit_callbacks):
    world = World()
    add_matches(world, 6)
    client = client_for(world.manager)
    ask(client, django_capture_on_commit_callbacks)
    for language, label, status in (("en", "Matches", "ready"), ("zh-hans", "匹配结果", "可下载")):
        page = client.get(reverse("export_job_list"), HTTP_ACCEPT_LANGUAGE=language)
        html = page.content.decode()
        assert label in html
        assert "financing.matches" not in html
        assert status in html
        assert ">done<" not in html


def test_the_cleanup_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "ecosystem.core.export_jobs.cleanup_export_jobs" in tasks


class WorkerDied(BaseException):
    """A worker killed after storing its file, before finishing the job (not an error the
    run catches: the process is gone)."""


def ask_and_die(client, capture, monkeypatch) -> list[str]:
    """Ask for an export whose worker dies right after storing the file; the names stored."""
    save = private_storage.save
    stored = []

    def save_then_die(name, content, **kwargs):
        stored.append(save(name, content, **kwargs))
        raise WorkerDied

    monkeypatch.setattr(private_storage, "save", save_then_die)
    with pytest.raises(WorkerDied):
        ask(client, capture)
    monkeypatch.setattr(private_storage, "save", save)
    return stored


def test_the_cleanup_deletes_the_file_of_a_run_whose_worker_died(
    django_capture_on_commit_callbacks, monkeypatch
):
    world = World()
    add_matches(world, 6)
    client = client_for(world.manager)
    stored = ask_and_die(client, django_capture_on_commit_callbacks, monkeypatch)
    (orphan,) = stored
    job = ExportJob.objects.get()
    assert (job.status, job.attempt, job.file.name) == (S.RUNNING, 1, "")
    # While the job is running at that attempt the file may be about to be recorded: kept.
    assert services.export_jobs_cleanup() == 0
    assert private_storage.exists(orphan)
    # The job is run again (the task's late acknowledgement): a new attempt, its own file.
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempt) == (S.DONE, 2)
    assert services.export_jobs_cleanup() == 1
    assert not private_storage.exists(orphan)
    assert private_storage.exists(job.file.name)  # the job's own file stays
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 200


def test_the_cleanup_deletes_the_file_of_a_job_given_up_as_lost(
    django_capture_on_commit_callbacks, monkeypatch
):
    world = World()
    add_matches(world, 6)
    client = client_for(world.manager)
    stored = ask_and_die(client, django_capture_on_commit_callbacks, monkeypatch)
    job = ExportJob.objects.get()
    # Never run again: given up after STALE, and its file goes in the same cleanup.
    assert services.export_jobs_cleanup(now=job.created_at + services.STALE) == 1
    job.refresh_from_db()
    assert job.status == S.FAILED
    assert not private_storage.exists(stored[0])
