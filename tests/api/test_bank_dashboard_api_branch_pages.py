"""GET /api/v1/financing/dashboard/ lists the branches a page at a time (a platform admin's
figures cover 1,500 branches nationally): ``branch_page`` and ``branch_page_size``, the
conversion and time-to-decision rows of the same branches, and the paging's figures. The
pages together are the branches counted lead by lead; a bad page is refused with its reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.financing.selectors.leads import bank_leads_of
from ecosystem.insights import bank as lead_by_lead
from ecosystem.insights.api import bank as bank_api
from tests.factories import BranchFactory, PlatformAdminFactory
from tests.worlds.pipeline import Pipeline

pytestmark = pytest.mark.django_db
URL = "api-financing-dashboard"


def get(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(reverse(URL), params, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def world():
    """The pipeline's bank with its own branch (five leads) and four more branches with
    one, two, three and four leads."""
    world = Pipeline()
    for n, name in enumerate(("丁支行", "甲支行", "丙支行", "乙支行"), start=1):
        branch = BranchFactory(bank=world.bank, zones=[world.enterprise.zone], name_zh=name)
        for _ in range(n):
            world.add_lead(branch=branch)
    world.admin = PlatformAdminFactory()
    return world


def rows(body: dict) -> list[tuple]:
    return [(r["key"], r["leads"], r["disbursed"]) for r in body["branches"]]


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_the_pages_together_are_the_branches_counted_lead_by_lead(world, who):
    user = getattr(world, who)
    counted = [
        (r["key"], r["leads"], r["disbursed"])
        for r in lead_by_lead.conversion_by(
            leads=bank_leads_of(user=user), dimension="branch", english=True
        )
    ]
    assert len(counted) == 5
    seen, pages = [], []
    for page in (1, 2, 3):
        body = get(user, branch_page=page, branch_page_size=2).json()
        pages.append(body["branch_pages"])
        assert len(body["branches"]) == (2 if page < 3 else 1)
        # the time to decision of the same branches, no other
        assert sorted(r["key"] for r in body["decision"]["branches"]) == sorted(
            r["key"] for r in body["branches"]
        )
        seen += rows(body)
    assert sorted(seen) == sorted(counted) and len(set(seen)) == 5
    assert pages[0] == {"page": 1, "page_size": 2, "count": 5, "pages": 3}
    assert pages[2]["page"] == 3
    # one page holding them all is the unpaged list, in the same order
    whole = get(user, branch_page_size=500).json()
    assert rows(whole) == seen
    assert whole["branch_pages"] == {"page": 1, "page_size": 500, "count": 5, "pages": 1}


def test_pages_follow_the_branch_names(world):
    body = get(world.manager, branch_page_size=2).json()
    names = [r["label"] for r in get(world.manager, branch_page_size=500).json()["branches"]]
    assert names[:2] == [r["label"] for r in body["branches"]]


def test_the_default_page_size(world, monkeypatch):
    monkeypatch.setattr(bank_api, "BRANCH_PAGE_SIZE", 3)
    body = get(world.manager).json()
    assert len(body["branches"]) == 3 and body["branch_pages"]["pages"] == 2
    monkeypatch.setattr(bank_api, "MAX_BRANCH_PAGE_SIZE", 4)
    assert get(world.manager, branch_page_size=50).json()["branch_pages"]["page_size"] == 4


def test_a_period_pages_the_branches_counted_lead_by_lead(world):
    """With a period the figures are counted from the leads, not the summary tables."""
    today = timezone.localdate()
    period = {"created_from": (today - timedelta(days=30)).isoformat(), "created_to": today}
    body = get(world.manager, **period, branch_page_size=2).json()
    assert body["branch_pages"]["count"] == 5
    assert sorted(r["key"] for r in body["decision"]["branches"]) == sorted(
        r["key"] for r in body["branches"]
    )


@pytest.mark.parametrize(
    ("params", "code", "english", "chinese"),
    [
        ({"branch_page": "0"}, "invalid_branch_page", "whole number from 1", "从 1 起的整数"),
        ({"branch_page": "x"}, "invalid_branch_page", "whole number from 1", "从 1 起的整数"),
        ({"branch_page_size": "-5"}, "invalid_branch_page_size", "whole number", "整数"),
        (
            {"branch_page": "4", "branch_page_size": "2"},
            "invalid_branch_page",
            "only 3 pages",
            "3 页",
        ),
        (
            {"branch_page": "2", "branch_page_size": "9"},
            "invalid_branch_page",
            "There is only 1 page of branches.",
            "支行只有 1 页。",
        ),
    ],
)
def test_a_bad_page_is_refused_with_its_reason(world, params, code, english, chinese):
    refused = get(world.manager, **params)
    assert refused.status_code == 400
    assert refused.json()["code"] == code
    assert english in refused.json()["detail"]
    client = APIClient()
    client.force_authenticate(world.manager)
    zh = client.get(reverse(URL), params, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["detail"]
    assert chinese in zh
