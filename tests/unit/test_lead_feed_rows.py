"""The leads feed's plain rows (``api.lead_feed_rows``) are byte for byte what
``LeadApiSerializer(many=True)`` rendered over ``lead_api_rows`` (the list before): varied
leads (every status, declined with a reason, masked and consented, the enterprise's own
view, needs and none, offers above and below the need, overdue), both languages, the
Beijing and the UTC time zone, and through the API itself."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from ecosystem.enterprises.models import Consent
from ecosystem.financing.api.lead_feed_rows import feed_page, feed_values
from ecosystem.financing.api.lead_serializers import LeadApiSerializer, lead_api_rows
from ecosystem.financing.models import Lead
from ecosystem.financing.selectors import leads_visible_to
from tests.factories import EnterpriseFactory, OfferFactory, api_key_for
from tests.worlds.leads import World

pytestmark = pytest.mark.django_db
S = Lead.Status


def varied_leads(world: World) -> None:
    now = timezone.now()
    world.version.product.name_en = "Tech loan"
    world.version.product.save()
    world.branch.name_en = ""
    world.branch.save()
    statuses = [S.NEW, S.ASSIGNED, S.CONTACTED, S.OFFER_MADE, S.ACCEPTED, S.DECLINED]
    statuses += [S.DISBURSED, S.WITHDRAWN, S.EXPIRED]
    for i, status in enumerate(statuses):
        enterprise = EnterpriseFactory(zone=world.enterprise.zone, name=f'企业 "{i}" <&>')
        if i % 3:
            Consent.objects.create(
                enterprise=enterprise,
                bank=world.bank,
                purpose=Consent.Purpose.FINANCING,
                text_version="v1",
                granted_at=now,
                revoked_at=now if i == 4 else None,
            )
        need = i % 2 == 0
        lead = Lead.objects.create(
            enterprise=enterprise,
            product=world.version.product,
            product_version=world.version,
            bank=world.bank,
            branch=world.branch,
            source=Lead.Source.APPLY if i % 2 else Lead.Source.CAMPAIGN,
            indicative_limit=Decimal("1000000.5") * (i + 1),
            status=status,
            assigned_to=None if status == S.NEW else world.rm,
            due_at=now + timedelta(hours=(i - 4) * 7),
            first_contact_due_at=now + timedelta(hours=(i - 4) * 7),
            decision_due_at=now + timedelta(days=i),
            first_contact_at=now - timedelta(hours=1) if i > 2 else None,
            decided_at=now - timedelta(minutes=i) if i > 3 else None,
            escalated_at=now - timedelta(days=1) if i == 1 else None,
            need_amount=Decimal("800000.25") if need else None,
            need_term_months=24 if need else None,
            need_purpose="rd" if need else "",
            need_collateral="equipment" if need else "",
            decline_reason="credit_history" if status == S.DECLINED else "",
        )
        offers = [("700000.00", "declined"), ("900000.10", "made")][: i % 3]
        for amount, offer_status in offers:
            OfferFactory(
                lead=lead,
                amount=Decimal(amount),
                status=offer_status,
                created_by=world.rm,
                responded_at=now if offer_status == "declined" else None,
            )
    Lead.objects.update(updated_at=now - timedelta(minutes=5))


def as_json(data) -> bytes:
    return JSONRenderer().render(data)


def old_page(user) -> bytes:
    leads = leads_visible_to(user=user).order_by("updated_at", "pk")
    return as_json(LeadApiSerializer(list(lead_api_rows(leads)), many=True).data)


def new_page(user) -> bytes:
    leads = leads_visible_to(user=user).order_by("updated_at", "pk")
    return as_json(feed_page(list(feed_values(leads))))


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plain_rows_are_the_serializers_output(language, zone):
    world = World()
    varied_leads(world)
    with translation.override(language), timezone.override(zone):
        for user in (world.manager, world.rm, world.member, world.rm_other_bank):
            old, new = old_page(user), new_page(user)
            assert new == old, user
        # Not a comparison of two empty lists: the manager's page holds every shape.
        page = new_page(world.manager).decode()
        for piece in ('"masked":true', '"masked":false', '"overdue":true', '"need":null'):
            assert piece in page
        assert '"difference_from_need":"-100000.25"' in page
        assert ('"Tech loan"' in page) == (language == "en")
        assert ('Z"' in page) == (zone == "UTC")


def test_the_feed_answers_the_serializers_rows():
    world = World()
    varied_leads(world)
    client = APIClient()
    key = api_key_for(world.manager, last_used_at=timezone.now())
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(reverse("api-financing-lead-list") + "?page_size=4")
    assert response.status_code == 200
    leads = leads_visible_to(user=world.manager).order_by("updated_at", "pk")
    with translation.override("zh-hans"):
        expected = LeadApiSerializer(list(lead_api_rows(leads))[:4], many=True).data
    assert response.json()["results"] == json.loads(as_json(expected))
    assert response.json()["has_more"] is True
