"""The leads API renders byte for byte what DRF's generic serializer rendered before the
list learned to skip DRF's per-row introspection (``api/direct_rows.py``) and to load
only the columns it shows: ``ReferenceLeadSerializer`` below is the serializer as it
was, run over the full ``leads_visible_to`` rows, in English and in Chinese, for the
bank's relationship manager and manager (consented and masked rows) and for the
enterprise's member."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from ecosystem.financing import workflow
from ecosystem.financing.api.lead_serializers import LeadApiSerializer, LeadOfferSerializer
from ecosystem.financing.api.leads import encode_cursor
from ecosystem.financing.models import Lead, Offer
from ecosystem.financing.selectors import leads_visible_to
from tests.factories import EnterpriseFactory
from tests.worlds.lead_api import API, World, client_for

pytestmark = pytest.mark.django_db
S = Lead.Status
R = workflow.DeclineReason


class ReferenceEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()


class ReferenceNeedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="need_id", allow_null=True)
    amount = serializers.DecimalField(max_digits=15, decimal_places=2, source="need_amount")
    term_months = serializers.IntegerField(source="need_term_months")
    purpose = serializers.CharField(source="need_purpose")
    purpose_label = serializers.CharField(source="get_need_purpose_display")
    collateral = serializers.CharField(source="need_collateral")
    collateral_label = serializers.CharField(source="get_need_collateral_display")


class ReferenceOfferSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    difference_from_need = serializers.SerializerMethodField()

    def get_difference_from_need(self, offer):
        asked = offer.lead.need_amount
        return None if asked is None else f"{offer.amount - asked:.2f}"

    class Meta:
        model = Offer
        fields = LeadOfferSerializer.Meta.fields
        read_only_fields = fields


class ReferenceLeadSerializer(serializers.ModelSerializer):
    """``LeadApiSerializer`` before the fast path: every field through DRF."""

    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    version = serializers.IntegerField(source="product_version.number", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    masked = serializers.SerializerMethodField()
    enterprise = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    reason_code = serializers.SerializerMethodField()
    reason_label = serializers.SerializerMethodField()
    reason_text = serializers.SerializerMethodField()
    offers = ReferenceOfferSerializer(many=True, read_only=True)
    need = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = LeadApiSerializer.Meta.fields
        read_only_fields = fields

    @staticmethod
    def _shows_enterprise(lead) -> bool:
        return bool(getattr(lead, "own", False) or getattr(lead, "consented", False))

    def get_masked(self, lead) -> bool:
        return not self._shows_enterprise(lead)

    def get_need(self, lead):
        return None if lead.need_amount is None else ReferenceNeedSerializer(lead).data

    def get_enterprise(self, lead):
        if not self._shows_enterprise(lead):
            return None
        return ReferenceEnterpriseSerializer(lead.enterprise).data

    def get_overdue(self, lead) -> bool:
        return bool(
            lead.is_open
            and lead.due_at is not None
            and lead.first_contact_at is None
            and lead.due_at < timezone.now()
        )

    def get_reason_code(self, lead) -> str:
        return lead.decline_reason if lead.status == S.DECLINED else ""

    def get_reason_label(self, lead) -> str:
        return lead.get_decline_reason_display() if self.get_reason_code(lead) else ""

    def get_reason_text(self, lead) -> str:
        return workflow.reason_text(self.get_reason_code(lead))


def varied_world() -> World:
    """Leads in every shape the API renders: each status and decline reason, a reason
    code no longer in the list, a status no longer in the list, offers, overdue and
    escalated leads, masked enterprises, English names, empty contacts, leads with and
    without a financing need."""
    w = World(status=S.CONTACTED)
    w.version.product.name_en = "Tech Loan"
    w.version.product.save()
    w.branch.name_en = "Riverside Branch"
    w.branch.save()
    now = timezone.now()
    shapes = [(status, "") for status in S.values]
    shapes += [(S.DECLINED, reason) for reason in [*R.values, "", "retired_reason"]]
    shapes += [("legacy", "")]
    for i, (status, reason) in enumerate(shapes):
        lead = w.add_lead()
        if i % 3 == 0:
            lead.enterprise.consents.all().delete()  # masked for the bank
        enterprise = lead.enterprise
        enterprise.contact_name = "" if i % 2 else "王经理"
        enterprise.contact_phone = "13900000000"
        enterprise.contact_email = f"firm{i}@example.com"
        enterprise.save()
        Lead.objects.filter(pk=lead.pk).update(
            status=status,
            source=Lead.Source.CAMPAIGN if i % 4 == 0 else Lead.Source.APPLY,
            decline_reason=reason,
            decline_note="内部备注",
            assigned_to=w.rm if i % 2 else None,
            indicative_limit=Decimal("1234567.89") if i % 2 else Decimal("0"),
            due_at=None if i % 5 == 0 else now + timedelta(hours=i - 8),
            first_contact_at=now - timedelta(hours=1) if i % 7 == 0 else None,
            escalated_at=now - timedelta(minutes=i) if i % 6 == 0 else None,
            # Every other lead serves a need (kept as a copy of its terms).
            need_amount=Decimal("1000000.25") if i % 2 == 0 else None,
            need_term_months=18 if i % 2 == 0 else None,
            need_purpose="production_line" if i % 2 == 0 else "",
            need_collateral="ip_pledge" if i % 2 == 0 else "",
        )
    offered = Lead.objects.filter(status=S.OFFER_MADE).first()
    for status, days in ((Offer.Status.DECLINED, 2), (Offer.Status.MADE, 1)):
        Offer.objects.create(
            lead=offered,
            amount=Decimal("800000.50"),
            rate=Decimal("3.8500"),
            term_months=24,
            conditions="须提供担保",
            valid_until=now + timedelta(days=days),
            status=status,
            created_by=w.rm,
        )
    Lead.objects.update(updated_at=now - timedelta(minutes=1))
    EnterpriseFactory()  # an enterprise without leads changes nothing
    return w


def reference_page(user, *, page_size: int) -> bytes:
    rows = list(leads_visible_to(user=user).order_by("updated_at", "pk")[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    page = {
        "results": ReferenceLeadSerializer(rows, many=True).data,
        "next_cursor": encode_cursor(rows[-1].updated_at, rows[-1].pk),
        "has_more": has_more,
    }
    return JSONRenderer().render(page)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("caller", ["rm", "manager", "member"])
@pytest.mark.parametrize("page_size", [5, 100])
def test_the_list_renders_what_the_generic_serializer_rendered(caller, language, page_size):
    w = varied_world()
    user = getattr(w, caller)
    response = client_for(user).get(
        API + f"leads/?page_size={page_size}", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    with translation.override(language):
        expected = reference_page(user, page_size=page_size)
    assert response.content == expected
    rows = response.json()["results"]
    if caller != "member" and page_size == 100:
        assert {row["masked"] for row in rows} == {True, False}
        assert any(row["offers"] for row in rows)
        assert {row["reason_code"] for row in rows} >= {*R.values, "retired_reason"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_one_lead_renders_what_the_generic_serializer_rendered(language):
    w = varied_world()
    api = client_for(w.manager)
    for lead in leads_visible_to(user=w.manager):
        response = api.get(f"{API}leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE=language)
        with translation.override(language):
            expected = JSONRenderer().render(ReferenceLeadSerializer(lead).data)
        assert response.content == expected, lead.status


def test_labels_follow_the_language_of_each_rendering():
    """A serializer rendered in two languages does not keep the first one's labels."""
    w = varied_world()
    leads = list(leads_visible_to(user=w.manager).filter(status=S.DECLINED))
    fast = LeadApiSerializer(leads, many=True)
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            expected = ReferenceLeadSerializer(leads, many=True).data
            assert fast.to_representation(leads) == expected
    with translation.override("zh-hans"):
        assert "Adverse credit history" not in str(fast.to_representation(leads))


def test_the_fast_path_adds_nothing_to_the_schema():
    """The mixin has no docstring that drf-spectacular could publish as a description."""
    from drf_spectacular.generators import SchemaGenerator

    components = SchemaGenerator().get_schema(request=None, public=True)["components"]
    schemas = components["schemas"]
    assert "description" not in schemas["LeadOffer"]
    assert schemas["LeadApi"]["description"] == LeadApiSerializer.__doc__.strip()
