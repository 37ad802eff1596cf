"""The fund dashboard sums in SQL: its number of queries is the same at 10 and at 200
filed loans — for every breakdown, the schemes' summary, the page, an export and the API
(a loop over the loans, or a stage computed firm by firm in Python, would grow it)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem.funds.dashboard import DIMENSIONS, fund_dashboard, scheme_summary
from ecosystem.funds.models import Filing
from tests.worlds.fund_dashboard import DashboardWorld

pytestmark = pytest.mark.django_db


def _counts(world) -> dict[str, int]:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.admin)
    calls = {
        f"by {by}": (lambda by=by: fund_dashboard(user=world.admin, by=by)) for by in DIMENSIONS
    }
    calls["summary"] = lambda: scheme_summary(user=world.admin)
    for by in DIMENSIONS:
        calls[f"page by {by}"] = lambda by=by: client.get("/funds/dashboard/", {"by": by})
    calls["export"] = lambda: b"".join(
        client.get(reverse("funds:fund_dashboard_export", args=["chain", "xlsx"])).streaming_content
    )
    calls["api"] = lambda: client.get("/api/v1/funds/dashboard/", {"by": "stage"})
    counts = {}
    for name, call in calls.items():
        call()  # warm: the session, the scope
        with CaptureQueriesContext(connection) as queries:
            call()
        counts[name] = len(queries)
    return counts


def _live():
    return Filing.objects.filter(status__in=("filed", "confirmed")).count()


def test_the_queries_do_not_grow_with_the_filed_loans():
    world = DashboardWorld()
    assert _live() == 10
    small = _counts(world)
    world.more_filed_loans(190)
    assert _live() == 200
    assert _counts(world) == small


def test_no_scheme_no_sums(monkeypatch):
    """Without a scheme (the national world has none) the platform's panel of schemes is
    empty at once: the loans' grouped sums are not built (2.4 ms a dashboard, nationally)."""
    from ecosystem.funds import dashboard
    from ecosystem.funds.models import Scheme
    from ecosystem.insights.funds import platform_schemes

    def summed(**_kwargs):
        raise AssertionError("grouped_sums built without a scheme")

    monkeypatch.setattr(dashboard, "grouped_sums", summed)
    Scheme.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert platform_schemes() == []
    assert len(queries) == 1  # the schemes, none
