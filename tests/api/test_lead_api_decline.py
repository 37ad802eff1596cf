"""Leads API: a declined lead's reason (code, bank label, plain words) comes from the
lead's decline record, to exactly those who see the lead; the bank's note never leaves
the bank's pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ecosystem.financing import services as pipeline
from ecosystem.financing import workflow
from ecosystem.financing.models import Lead, LeadNote
from tests.worlds.lead_api import API, World, client_for, ids

pytestmark = pytest.mark.django_db
S = Lead.Status
R = workflow.DeclineReason
NOTE = "内部备注：征信逾期三次"


@pytest.fixture
def declined(settings) -> World:
    """A lead the relationship manager declined, its timeline entry gone (the API must
    not need it)."""
    settings.LEADS_FEED_SETTLE_SECONDS = 0
    w = World(status=S.CONTACTED)
    pipeline.lead_transition(
        lead=w.lead, to=S.DECLINED, actor=w.rm, reason_code=R.CREDIT_HISTORY, note=NOTE
    )
    LeadNote.objects.filter(lead=w.lead, to_status=S.DECLINED).delete()
    return w


@pytest.mark.parametrize(
    ("caller", "sees"),
    [
        ("rm", True),
        ("manager", True),
        ("member", True),
        ("other_branch_rm", False),
        ("other_bank_manager", False),
        ("other_bank_rm", False),
        ("other_member", False),
    ],
)
def test_the_decline_reason_goes_to_exactly_those_who_see_the_lead(declined, caller, sees):
    api = client_for(getattr(declined, caller))
    detail = api.get(f"{API}leads/{declined.lead.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    listed = api.get(API + "leads/", HTTP_ACCEPT_LANGUAGE="en")
    assert NOTE not in detail.content.decode() + listed.content.decode()
    if not sees:
        assert detail.status_code == 404 and declined.lead.pk not in ids(listed)
        assert "credit" not in detail.content.decode()
        return
    (row,) = [r for r in listed.json()["results"] if r["id"] == declined.lead.pk]
    assert row == detail.json()
    assert (row["status"], row["reason_code"], row["reason_label"]) == (
        S.DECLINED,
        R.CREDIT_HISTORY,
        "Adverse credit history",
    )
    assert "credit record" in row["reason_text"]
    assert "decline_note" not in row


def test_anonymous_sees_no_reason(declined):
    response = client_for(None).get(f"{API}leads/{declined.lead.pk}/")
    assert response.status_code == 401 and "credit" not in response.content.decode()


def test_a_masked_bank_view_still_carries_the_banks_own_reason(declined):
    declined.consent.revoked_at = timezone.now()
    declined.consent.save()
    row = client_for(declined.rm).get(f"{API}leads/{declined.lead.pk}/").json()
    assert row["masked"] is True and row["enterprise"] is None
    assert row["reason_code"] == R.CREDIT_HISTORY


def test_an_open_lead_has_no_reason(settings):
    settings.LEADS_FEED_SETTLE_SECONDS = 0
    w = World(status=S.CONTACTED)
    row = client_for(w.rm).get(f"{API}leads/{w.lead.pk}/").json()
    assert (row["reason_code"], row["reason_label"], row["reason_text"]) == ("", "", "")
