"""Leads API: who sees which lead (and the enterprise behind it), the "changed since"
feed a bank's system polls, token authentication, and the pipeline's refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.enterprises.models import AccessLogEntry, Consent
from ecosystem.financing import services as pipeline
from ecosystem.financing.api.leads import decode_cursor, encode_cursor
from ecosystem.financing.models import Lead, Offer
from tests.factories import api_key_for
from tests.worlds.lead_api import API, S, World, client_for, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return World()


@pytest.fixture
def no_settle(settings):
    settings.LEADS_FEED_SETTLE_SECONDS = 0


def _state(lead: Lead) -> tuple:
    lead.refresh_from_db()
    return lead.status, lead.assigned_to_id, lead.updated_at, lead.offers.count()


# ---- permission matrix ---------------------------------------------------------------


def test_anonymous_gets_401(w):
    api = client_for(None)
    assert api.get(API + "leads/").status_code == 401
    assert api.get(f"{API}leads/{w.lead.pk}/").status_code == 401
    assert api.post(f"{API}leads/{w.lead.pk}/claim/").status_code == 401


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
def test_who_sees_the_lead(w, no_settle, caller, sees):
    api = client_for(getattr(w, caller))
    detail = api.get(f"{API}leads/{w.lead.pk}/")
    listed = api.get(API + "leads/")
    assert listed.status_code == 200
    assert (w.lead.pk in ids(listed)) is sees
    assert detail.status_code == (200 if sees else 404)
    if not sees:
        assert detail.json()["code"] == "not_found"


def test_manager_sees_every_branch_of_the_bank(w, no_settle):
    other_branch = w.other_branch_rm.memberships.get().branch
    w.lead.branch = other_branch
    w.lead.save()
    assert w.lead.pk in ids(client_for(w.manager).get(API + "leads/"))
    assert w.lead.pk not in ids(client_for(w.rm).get(API + "leads/"))
    assert w.lead.pk in ids(client_for(w.other_branch_rm).get(API + "leads/"))


@pytest.mark.parametrize("caller", ["other_branch_rm", "other_bank_rm", "other_member"])
def test_outsiders_cannot_claim_and_nothing_changes(w, caller):
    before = _state(w.lead)
    response = client_for(getattr(w, caller)).post(f"{API}leads/{w.lead.pk}/claim/")
    assert response.status_code in (403, 404)
    assert _state(w.lead) == before


def test_only_managers_assign(w):
    url = f"{API}leads/{w.lead.pk}/assign/"
    before = _state(w.lead)
    assert client_for(w.rm).post(url, {"assignee": w.rm.pk}).status_code == 404
    assert client_for(w.other_bank_manager).post(url, {"assignee": w.rm.pk}).status_code == 404
    refused = client_for(w.manager).post(url, {"assignee": w.other_branch_rm.pk})
    assert refused.status_code == 400 and refused.json()["code"] == "bad_assignee"
    assert _state(w.lead) == before
    response = client_for(w.manager).post(url, {"assignee": w.rm.pk})
    assert response.status_code == 200
    assert response.json()["assigned_to"] == w.rm.pk and response.json()["status"] == S.ASSIGNED


# ---- masking and the access log -----------------------------------------------------


def test_bank_sees_enterprise_under_consent_and_it_is_logged(w):
    response = client_for(w.rm).get(f"{API}leads/{w.lead.pk}/")
    body = response.json()
    assert body["masked"] is False
    assert body["enterprise"]["uscc"] == w.enterprise.uscc
    assert AccessLogEntry.objects.filter(enterprise=w.enterprise, viewer=w.rm).count() == 1


def test_without_active_consent_the_bank_sees_a_masked_lead(w):
    Consent.objects.filter(pk=w.consent.pk).update(revoked_at=timezone.now())
    body = client_for(w.manager).get(f"{API}leads/{w.lead.pk}/").json()
    assert body["masked"] is True and body["enterprise"] is None
    assert w.enterprise.name not in str(body)
    assert not AccessLogEntry.objects.filter(enterprise=w.enterprise).exists()
    own = client_for(w.member).get(f"{API}leads/{w.lead.pk}/").json()
    assert own["masked"] is False and own["enterprise"]["name"] == w.enterprise.name


# ---- the "changed since" feed -------------------------------------------------------


def test_poll_returns_exactly_the_changed_lead(w, no_settle):
    others = [w.add_lead(), w.add_lead()]
    api = client_for(w.manager)
    first = api.get(API + "leads/").json()
    assert sorted(r["id"] for r in first["results"]) == sorted([w.lead.pk, *(o.pk for o in others)])
    assert first["has_more"] is False
    cursor = first["next_cursor"]

    quiet = api.get(API + "leads/", {"changed_since": cursor}).json()
    assert quiet["results"] == [] and quiet["next_cursor"] == cursor

    assert client_for(w.rm).post(f"{API}leads/{others[0].pk}/claim/").status_code == 200
    changed = api.get(API + "leads/", {"changed_since": cursor}).json()
    assert [r["id"] for r in changed["results"]] == [others[0].pk]
    assert changed["results"][0]["status"] == S.ASSIGNED
    assert (
        api.get(API + "leads/", {"changed_since": changed["next_cursor"]}).json()["results"] == []
    )


def test_every_pipeline_step_bumps_updated_at(w, no_settle):
    api = client_for(w.rm)

    def changed(since):
        return api.get(API + "leads/", {"changed_since": since}).json()

    cursor = changed("")["next_cursor"]
    steps = [
        lambda: api.post(f"{API}leads/{w.lead.pk}/claim/"),
        lambda: api.post(f"{API}leads/{w.lead.pk}/transition/", {"to": S.CONTACTED}),
        lambda: api.post(
            f"{API}leads/{w.lead.pk}/offers/",
            {
                "amount": "800000",
                "rate": "4.5",
                "term_months": 12,
                "valid_until": (timezone.now() + timedelta(days=7)).isoformat(),
            },
        ),
        lambda: client_for(w.member).post(f"{API}offers/{w.lead.offers.get().pk}/accept/"),
        lambda: api.post(
            f"{API}leads/{w.lead.pk}/disbursement/",
            {"amount": "800000", "disbursed_on": timezone.localdate().isoformat()},
        ),
    ]
    for step in steps:
        assert step().status_code in (200, 201)
        page = changed(cursor)
        assert [r["id"] for r in page["results"]] == [w.lead.pk]
        cursor = page["next_cursor"]
    assert page["results"][0]["status"] == S.DISBURSED


def test_equal_timestamps_are_not_lost_across_pages(w, no_settle):
    leads = [w.lead, *(w.add_lead() for _ in range(4))]
    same = timezone.now() - timedelta(minutes=5)
    Lead.objects.filter(pk__in=[lead.pk for lead in leads]).update(updated_at=same)
    api = client_for(w.manager)
    seen, cursor, pages = [], "", 0
    while True:
        body = api.get(API + "leads/", {"changed_since": cursor, "page_size": 2}).json()
        pages += 1
        assert len(body["results"]) <= 2
        seen += [r["id"] for r in body["results"]]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    assert pages == 3
    assert seen == sorted(lead.pk for lead in leads)
    assert decode_cursor(cursor) == (same, max(seen))


def test_page_size_is_capped(w, no_settle):
    body = client_for(w.manager).get(API + "leads/", {"page_size": 10_000})
    assert body.status_code == 200


def test_recent_changes_wait_for_the_next_poll(w, settings):
    settings.LEADS_FEED_SETTLE_SECONDS = 60
    assert client_for(w.manager).get(API + "leads/").json()["results"] == []
    Lead.objects.filter(pk=w.lead.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    assert ids(client_for(w.manager).get(API + "leads/")) == [w.lead.pk]


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", encode_cursor(timezone.now(), 1)[:-3] + "!!"],
    ids=["not-base64", "truncated"],  # stable ids: xdist workers must collect the same tests
)
def test_bad_cursor_is_a_400(w, cursor):
    response = client_for(w.manager).get(API + "leads/", {"changed_since": cursor})
    assert response.status_code == 400 and response.json()["code"] == "bad_cursor"


# ---- token authentication -----------------------------------------------------------


def test_token_authentication_for_a_bank_system(w, no_settle):
    key = api_key_for(w.rm, kind="lead_feed", bank=w.bank)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert ids(api.get(API + "leads/")) == [w.lead.pk]
    assert api.post(f"{API}leads/{w.lead.pk}/claim/").status_code == 200
    w.lead.refresh_from_db()
    assert w.lead.assigned_to == w.rm
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get(API + "leads/").status_code == 401


# ---- the pipeline's refusals --------------------------------------------------------


def test_decline_without_reason_is_refused(w):
    w.lead.status, w.lead.assigned_to = S.ASSIGNED, w.rm
    w.lead.save()
    before = _state(w.lead)
    url = f"{API}leads/{w.lead.pk}/transition/"
    refused = client_for(w.rm).post(url, {"to": S.DECLINED})
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    assert _state(w.lead) == before
    declined = client_for(w.rm).post(url, {"to": S.DECLINED, "reason_code": "credit_history"})
    assert declined.status_code == 200
    seen = client_for(w.member).get(f"{API}leads/{w.lead.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert seen["reason_code"] == "credit_history" and "credit record" in seen["reason_text"]


def test_unknown_target_status_is_a_400(w):
    response = client_for(w.rm).post(f"{API}leads/{w.lead.pk}/transition/", {"to": "won"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_refused_move_is_a_409(w):
    response = client_for(w.rm).post(f"{API}leads/{w.lead.pk}/transition/", {"to": S.DISBURSED})
    assert response.status_code == 409


def test_offer_above_the_product_maximum_is_refused(w):
    w.lead.status, w.lead.assigned_to = S.CONTACTED, w.rm
    w.lead.save()
    before = _state(w.lead)
    response = client_for(w.rm).post(
        f"{API}leads/{w.lead.pk}/offers/",
        {
            "amount": str(w.version.amount_max + 1),
            "rate": "4.5",
            "term_months": 12,
            "override_reason": "strong client",
            "valid_until": (timezone.now() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 400 and response.json()["code"] == "amount_out_of_range"
    assert _state(w.lead) == before


def _offer(w) -> Offer:
    w.lead.status, w.lead.assigned_to = S.CONTACTED, w.rm
    w.lead.save()
    return pipeline.offer_make(
        lead=w.lead,
        actor=w.rm,
        amount=Decimal("500000"),
        rate=Decimal("4.5"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=7),
    )


def test_accepting_an_expired_offer_is_refused(w):
    offer = _offer(w)
    Offer.objects.filter(pk=offer.pk).update(valid_until=timezone.now() - timedelta(hours=1))
    before = _state(w.lead)
    response = client_for(w.member).post(f"{API}offers/{offer.pk}/accept/")
    assert response.status_code == 409 and response.json()["code"] == "offer_expired"
    offer.refresh_from_db()
    assert offer.status == Offer.Status.MADE
    assert _state(w.lead) == before


def test_enterprise_declines_an_offer_and_others_cannot_answer(w):
    offer = _offer(w)
    for outsider in (w.rm, w.other_member, w.other_bank_manager):
        assert client_for(outsider).post(f"{API}offers/{offer.pk}/decline/").status_code == 404
    response = client_for(w.member).post(f"{API}offers/{offer.pk}/decline/")
    assert response.status_code == 200 and response.json()["status"] == Offer.Status.DECLINED
    w.lead.refresh_from_db()
    assert w.lead.status == S.CONTACTED
    assert client_for(w.member).post(f"{API}offers/{offer.pk}/accept/").status_code == 409


def test_feed_queries_do_not_grow_with_the_page(w, no_settle, django_assert_max_num_queries):
    for _ in range(12):
        w.add_lead()
    api = client_for(w.manager)
    with django_assert_max_num_queries(10):
        body = api.get(API + "leads/", {"page_size": 100}).json()
    assert len(body["results"]) == 13
