"""Leads API shapes: what a bank's systems and an enterprise read and send."""

from __future__ import annotations

from functools import cached_property
from operator import attrgetter

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ecosystem.financing import workflow
from ecosystem.financing.api.direct_rows import DirectRowsMixin, choice_labels
from ecosystem.financing.models import Disbursement, Lead, Offer
from ecosystem.financing.models.leads import NEED_COLLATERAL, NEED_PURPOSES
from ecosystem.financing.selectors import lead_offers

#: Where ``LeadApiSerializer`` finds a lead's offers when the list prefetched them
#: into a plain list (``lead.offers.all()`` otherwise).
OFFERS_ATTR = "api_offers"
#: Set on each offer rendered within its lead: the difference from the amount asked.
NEED_DIFFERENCE_ATTR = "api_need_difference"
_UNSET = object()


def _attributes(*names: str) -> dict:
    return {name: attrgetter(name) for name in names}


class LeadEnterpriseSerializer(DirectRowsMixin, serializers.Serializer):
    """Shown to a bank only under the enterprise's active consent for that bank."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()

    def direct_readers(self) -> dict:
        return _attributes("id", "name", "uscc", "contact_name", "contact_phone", "contact_email")


class LeadNeedSerializer(serializers.Serializer):
    """The financing need the lead serves, as it stood when the enterprise applied."""

    id = serializers.IntegerField(
        allow_null=True, help_text="The enterprise's need (null once it was deleted)."
    )
    amount = serializers.DecimalField(
        max_digits=15, decimal_places=2, help_text="Amount asked (yuan)."
    )
    term_months = serializers.IntegerField()
    purpose = serializers.CharField(help_text=" | ".join(v for v, _l in NEED_PURPOSES))
    purpose_label = serializers.CharField()
    collateral = serializers.CharField(help_text=" | ".join(v for v, _l in NEED_COLLATERAL))
    collateral_label = serializers.CharField()


def need_payload(lead) -> dict | None:
    """The lead's need as ``LeadNeedSerializer`` renders it; None when it serves none."""
    if lead.need_amount is None:
        return None
    return LeadNeedSerializer(_need_fields(lead)).data


def _need_fields(lead) -> dict:
    return {
        "id": lead.need_id,
        "amount": lead.need_amount,
        "term_months": lead.need_term_months,
        "purpose": lead.need_purpose,
        "purpose_label": lead.get_need_purpose_display(),
        "collateral": lead.need_collateral,
        "collateral_label": lead.get_need_collateral_display(),
    }


class LeadOfferSerializer(DirectRowsMixin, serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=" | ".join(Offer.Status.values))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    difference_from_need = serializers.SerializerMethodField(
        help_text="Offered amount minus the amount the enterprise asked for (yuan): positive "
        "above, negative below; null when the lead carries no need."
    )

    class Meta:
        model = Offer
        fields = (
            "id",
            "lead",
            "amount",
            "rate",
            "term_months",
            "conditions",
            "valid_until",
            "status",
            "status_label",
            "created_at",
            "responded_at",
            "difference_from_need",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True))
    def get_difference_from_need(self, offer):
        difference = getattr(offer, NEED_DIFFERENCE_ATTR, _UNSET)
        if difference is _UNSET:
            difference = offer.lead.offer_difference(offer.amount)
        return None if difference is None else f"{difference:.2f}"

    def direct_readers(self) -> dict:
        labels = choice_labels(Offer, "status")
        return {
            **_attributes(
                "id", "amount", "rate", "term_months", "conditions", "valid_until", "status"
            ),
            **_attributes("created_at", "responded_at"),
            "lead": attrgetter("lead_id"),
            "status_label": lambda offer: labels.get(offer.status, offer.status),
        }


class LeadApiSerializer(DirectRowsMixin, serializers.ModelSerializer):
    """A lead from ``selectors.leads.leads_visible_to`` (annotated rows)."""

    status = serializers.CharField(read_only=True, help_text=" | ".join(Lead.Status.values))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    version = serializers.IntegerField(source="product_version.number", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    masked = serializers.SerializerMethodField()
    enterprise = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    reason_code = serializers.SerializerMethodField(
        help_text="Why the bank declined ('' unless declined): "
        + " | ".join(workflow.DeclineReason.values)
    )
    reason_label = serializers.SerializerMethodField(
        help_text="The reason's label as bank staff read it, in the request's language."
    )
    reason_text = serializers.SerializerMethodField(
        help_text="The reason in plain words for the enterprise, in the request's language."
    )
    offers = LeadOfferSerializer(many=True, read_only=True)
    need = serializers.SerializerMethodField(
        help_text="The financing need the lead serves (null when the enterprise named none)."
    )

    class Meta:
        model = Lead
        fields = (
            "id",
            "status",
            "status_label",
            "source",
            "product",
            "product_name",
            "version",
            "bank",
            "branch",
            "branch_name",
            "indicative_limit",
            "need",
            "assigned_to",
            "due_at",
            "overdue",
            "first_contact_at",
            "first_contact_due_at",
            "decision_due_at",
            "decided_at",
            "escalated_at",
            "decision_escalated_at",
            "created_at",
            "updated_at",
            "masked",
            "enterprise",
            "reason_code",
            "reason_label",
            "reason_text",
            "offers",
        )
        read_only_fields = fields

    def direct_readers(self) -> dict:
        labels = choice_labels(Lead, "status")
        return {
            **_attributes("id", "status", "source", "indicative_limit", "due_at"),
            **_attributes("first_contact_at", "escalated_at", "created_at", "updated_at"),
            **_attributes("first_contact_due_at", "decision_due_at", "decided_at"),
            **_attributes("decision_escalated_at"),
            "product": attrgetter("product_id"),
            "bank": attrgetter("bank_id"),
            "branch": attrgetter("branch_id"),
            "assigned_to": attrgetter("assigned_to_id"),
            "status_label": lambda lead: labels.get(lead.status, lead.status),
            "product_name": lambda lead: lead.product.name,
            "version": lambda lead: lead.product_version.number,
            "branch_name": lambda lead: lead.branch.name,
            "offers": self._offers,
        }

    @staticmethod
    def _offers(lead):
        offers = getattr(lead, OFFERS_ATTR, None)
        offers = lead.offers.all() if offers is None else offers
        for offer in offers:
            setattr(offer, NEED_DIFFERENCE_ATTR, lead.offer_difference(offer.amount))
        return offers

    @extend_schema_field(LeadNeedSerializer(allow_null=True))
    def get_need(self, lead):
        return need_payload(lead)

    @cached_property
    def _enterprise_serializer(self) -> LeadEnterpriseSerializer:
        return LeadEnterpriseSerializer()

    def _decline_labels(self) -> tuple[dict, dict]:
        """Label (bank staff) and text (enterprise) of each reason, in the active
        language; built once per serializer and language, not per row."""
        language = get_language()
        cached = self.__dict__.get("_decline_labels_cache")
        if cached is None or cached[0] != language:
            texts = {code: str(text) for code, text in workflow.DECLINE_REASON_TEXTS.items()}
            cached = (language, choice_labels(Lead, "decline_reason"), texts)
            self._decline_labels_cache = cached
        return cached[1], cached[2]

    @staticmethod
    def _shows_enterprise(lead) -> bool:
        return bool(getattr(lead, "own", False) or getattr(lead, "consented", False))

    @extend_schema_field(serializers.BooleanField())
    def get_masked(self, lead) -> bool:
        return not self._shows_enterprise(lead)

    @extend_schema_field(LeadEnterpriseSerializer(allow_null=True))
    def get_enterprise(self, lead):
        if not self._shows_enterprise(lead):
            return None
        return self._enterprise_serializer.to_representation(lead.enterprise)

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, lead) -> bool:
        return bool(
            lead.is_open
            and lead.due_at is not None
            and lead.first_contact_at is None
            and lead.due_at < timezone.now()
        )

    @extend_schema_field(serializers.CharField())
    def get_reason_code(self, lead) -> str:
        if lead.status != Lead.Status.DECLINED:
            return ""
        return lead.decline_reason

    @extend_schema_field(serializers.CharField())
    def get_reason_label(self, lead) -> str:
        code = self.get_reason_code(lead)
        return self._decline_labels()[0].get(code, code) if code else ""

    @extend_schema_field(serializers.CharField())
    def get_reason_text(self, lead) -> str:
        return self._decline_labels()[1].get(self.get_reason_code(lead), "")


#: The columns ``LeadApiSerializer`` reads (a lead's annotations stay as selected).
LEAD_COLUMNS = (
    *("status", "source", "indicative_limit", "due_at", "first_contact_at", "escalated_at"),
    *("first_contact_due_at", "decision_due_at", "decided_at", "decision_escalated_at"),
    *("created_at", "updated_at", "decline_reason", "bank", "assigned_to"),
    *("need", "need_amount", "need_term_months", "need_purpose", "need_collateral"),
    *("enterprise__name", "enterprise__uscc", "enterprise__contact_name"),
    *("enterprise__contact_phone", "enterprise__contact_email"),
    *("product__name_zh", "product__name_en", "product_version__number"),
    *("branch__name_zh", "branch__name_en"),
)
OFFER_COLUMNS = (
    *("lead", "amount", "rate", "term_months", "conditions", "valid_until", "status"),
    *("created_at", "responded_at"),
)


def lead_api_rows(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    """``leads`` (from ``leads_visible_to``) loading only what ``LeadApiSerializer``
    renders, with each lead's offers prefetched into a plain list: rendering a page
    then neither reads unused columns nor builds a queryset per lead. The feed's list
    renders plain rows instead (``lead_feed_rows``); this stays its reference in the
    tests (``tests/unit/test_lead_feed_rows.py``)."""
    offers = lead_offers().only(*OFFER_COLUMNS)
    return (
        leads.select_related(None)
        .select_related("enterprise", "product", "product_version", "branch")
        .only(*LEAD_COLUMNS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("offers", queryset=offers, to_attr=OFFERS_ATTR))
    )


class LeadFeedSerializer(serializers.Serializer):
    results = LeadApiSerializer(many=True)
    next_cursor = serializers.CharField(
        help_text="Pass as ?changed_since= on the next poll (opaque)."
    )
    has_more = serializers.BooleanField()


class LeadAssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(help_text="User id of a relationship manager.")


class LeadTransitionSerializer(serializers.Serializer):
    to = serializers.CharField(help_text=" | ".join(Lead.Status.values))
    reason_code = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_to(self, value: str) -> str:
        if value not in Lead.Status.values:
            raise serializers.ValidationError(_("Unknown status."))
        return value


class OfferMakeSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=15, decimal_places=2)
    rate = serializers.DecimalField(max_digits=7, decimal_places=4)
    term_months = serializers.IntegerField(min_value=1, max_value=600)
    valid_until = serializers.DateTimeField()
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DisbursementRecordSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=15, decimal_places=2)
    disbursed_on = serializers.DateField()


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ("id", "lead", "offer", "amount", "disbursed_on", "created_at")
        read_only_fields = fields
