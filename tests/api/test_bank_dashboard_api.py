"""GET /api/v1/financing/dashboard/: the bank dashboard's figures for the bank's systems,
scoped like the page (a relationship manager's branch, a manager's bank), filters as on
the page, a bad filter refused with its reason. Figures counted by hand (see Pipeline)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.financing.models import Lead
from tests.factories import BankStaffFactory, BranchFactory, ZoneOfficialFactory
from tests.worlds.pipeline import Pipeline

pytestmark = pytest.mark.django_db
URL = "api-financing-dashboard"


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_figures_are_the_page_s_figures():
    world = Pipeline()
    body = api(world.manager).get(reverse(URL)).json()
    assert [(r["stage"], r["count"]) for r in body["funnel"]] == [
        ("new", 5),
        ("assigned", 4),
        ("contacted", 3),
        ("offer_made", 3),
        ("accepted", 2),
        ("disbursed", 1),
    ]
    assert body["funnel"][-1]["of_total"] == "20.0"
    assert body["amounts"] == {
        "offered": "1500000.00",
        "accepted": "1200000.00",
        "disbursed": "750000.00",
    }
    assert body["response"]["responded"] == 4
    (branch,) = body["branches"]
    assert (branch["key"], branch["leads"], branch["disbursed"]) == (world.branch.pk, 5, 1)
    assert branch["disbursed_amount"] == "750000.00" and branch["conversion"] == "20.0"


def test_scoped_like_the_page():
    world = Pipeline()
    other_branch = BranchFactory(bank=world.bank, zones=[world.enterprise.zone])
    world.add_lead(branch=other_branch)
    other_rm = BankStaffFactory(branch=other_branch)
    for user, leads in ((world.rm, 5), (other_rm, 1), (world.manager, 6)):
        body = api(user).get(reverse(URL)).json()
        assert body["funnel"][0]["count"] == leads
    assert api(world.manager_other_bank).get(reverse(URL)).json()["funnel"][0]["count"] == 0
    for user in (world.member, ZoneOfficialFactory()):
        assert api(user).get(reverse(URL)).status_code == 404
    assert api(None).get(reverse(URL)).status_code == 401


def test_filters_narrow_and_a_bad_filter_is_refused_with_its_reason():
    world = Pipeline()
    Lead.objects.filter(pk=world.untouched.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    client = api(world.manager)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert client.get(reverse(URL), {"created_from": since}).json()["funnel"][0]["count"] == 4
    backwards = {"created_from": "2026-05-01", "created_to": "2026-04-01"}
    refused = client.get(reverse(URL), backwards, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_filter"
    assert "ends before it starts" in refused.json()["detail"]
    chinese = client.get(reverse(URL), backwards, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.json()["detail"] == "结束日期早于开始日期。"
    other_bank_branch = BranchFactory()
    refused = client.get(reverse(URL), {"branch": other_bank_branch.pk})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_branch"
