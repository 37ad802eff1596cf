"""Reconciliation at national size: the kept ``registered`` flag of list entries equals a
recount after every way an entry or an enterprise changes, and the reconciliation page
and outreach export read it in a fixed number of queries, from 10 entries to 1,000
(docs/slow-pages.md, "Official lists at national size")."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem.enterprises.models import Enterprise
from ecosystem.insights.reconciliation import list_figures, outreach_entries
from ecosystem.registries.models import RegistryEntry
from tests.factories import EnterpriseFactory, make_uscc
from tests.worlds.registry_pages import BATCH, csv_rows, make_officer, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program()


@pytest.fixture
def officer(program):
    return make_officer(program)


def _entries(program, n: int, *, start: int = 0):
    return RegistryEntry.objects.bulk_create(
        RegistryEntry(
            program=program,
            batch=BATCH,
            uscc=make_uscc(70_000 + start + i),
            name=f"名单企业{start + i}",
            certificate_number=f"GR{start + i}",
        )
        for i in range(n)
    )


def _recount_differs():
    """Entries whose flag is not what a join with the enterprises says."""
    registered = Exists(Enterprise.objects.filter(uscc=OuterRef("uscc")))
    return list(
        RegistryEntry.objects.annotate(recount=registered)
        .exclude(registered=registered)
        .values_list("uscc", "registered", "recount")
    )


def test_the_flag_equals_a_recount_whatever_changes(program):
    before = EnterpriseFactory(uscc=make_uscc(70_000))
    entries = _entries(program, 4)
    assert RegistryEntry.objects.get(pk=entries[0].pk).registered  # listed after registering
    later = EnterpriseFactory(uscc=make_uscc(70_001))  # registered after being listed
    assert RegistryEntry.objects.get(pk=entries[1].pk).registered
    Enterprise.objects.filter(pk=later.pk).update(uscc=make_uscc(70_002))  # code corrected
    assert not RegistryEntry.objects.get(pk=entries[1].pk).registered
    assert RegistryEntry.objects.get(pk=entries[2].pk).registered
    before.delete()
    assert not RegistryEntry.objects.get(pk=entries[0].pk).registered
    EnterpriseFactory(uscc=make_uscc(70_009))
    moved = RegistryEntry.objects.get(pk=entries[3].pk)
    moved.uscc = make_uscc(70_009)  # a name match confirmed, or a code corrected
    moved.save()
    assert RegistryEntry.objects.get(pk=moved.pk).registered
    stale = RegistryEntry.objects.get(pk=entries[0].pk)
    EnterpriseFactory(uscc=stale.uscc)
    stale.name = "改名企业"
    stale.save()  # writes the flag it read before the firm registered
    assert RegistryEntry.objects.get(pk=stale.pk).registered
    assert _recount_differs() == []


def test_a_name_only_entry_is_not_registered(program, officer):
    EnterpriseFactory()
    entry = RegistryEntry.objects.create(
        program=program, batch=BATCH, uscc="", name="只有名称", name_key="只有名称"
    )
    entry.refresh_from_db()
    assert not entry.registered
    assert [e.pk for e in outreach_entries(program=program, batch=BATCH, user=officer)] == [
        entry.pk
    ]


def test_figures_and_outreach_read_the_flag_not_the_enterprises(program, officer):
    _entries(program, 5)
    EnterpriseFactory(uscc=make_uscc(70_003))
    RegistryEntry.objects.filter(uscc=make_uscc(70_004)).update(status="withdrawn")
    with CaptureQueriesContext(connection) as captured:
        figures = list_figures(program=program, batch=BATCH)
        outreach = list(outreach_entries(program=program, batch=BATCH, user=officer))
    assert figures == {"listed": 4, "withdrawn": 1, "registered": 1}
    assert [e.uscc for e in outreach] == [make_uscc(70_000 + i) for i in (0, 1, 2)]
    assert len(captured) == 3  # the grouped count, the reader's regions, the outreach
    entry_queries = [q["sql"] for q in captured if "registries_registryentry" in q["sql"]]
    assert len(entry_queries) == 2
    assert not any("enterprises_enterprise" in sql for sql in entry_queries)


def _page_queries(client, program, n: int) -> int:
    _entries(program, n, start=10_000 * n)
    EnterpriseFactory(uscc=make_uscc(70_000 + 10_000 * n))
    url = reverse("registry_reconciliation", args=[program.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"batch": BATCH})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-testid="figure-listed">{n}<' in page
    assert 'data-testid="figure-registered">1<' in page
    assert f'data-testid="outreach-count">{n - 1}<' in page
    return len(captured)


def _export_queries(client, program, n: int) -> int:
    _entries(program, n, start=10_000 * n)
    url = reverse("registry_reconciliation_export", args=[program.pk, "outreach", "csv"])
    with CaptureQueriesContext(connection) as captured:
        table = csv_rows(client.get(url, {"batch": BATCH}))
    assert len(table) == 1 + n
    return len(captured)


@pytest.mark.parametrize("count", [_page_queries, _export_queries])
def test_the_page_and_export_queries_do_not_grow_with_the_list(client, program, officer, count):
    """Fixed numbers: the page reads its three figures in one grouped count (it took
    three, each joining the enterprises); the export no longer counts the list at all."""
    client.force_login(officer)
    client.get(reverse("registry_lists"))  # the session and caches warm
    small = count(client, program, 10)
    RegistryEntry.objects.all().delete()
    large = count(client, program, 1_000)
    assert small == large == {_page_queries: 15, _export_queries: 8}[count]
