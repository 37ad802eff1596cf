"""Leads API shapes: what a bank's systems and an enterprise read and send."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ecosystem.financing import lead_workflow
from ecosystem.financing.models import Disbursement, Lead, Offer


class LeadEnterpriseSerializer(serializers.Serializer):
    """Shown to a bank only under the enterprise's active consent for that bank."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()


class LeadOfferSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=" | ".join(Offer.Status.values))
    status_label = serializers.CharField(source="get_status_display", read_only=True)

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
        )
        read_only_fields = fields


class LeadApiSerializer(serializers.ModelSerializer):
    """A lead from ``selectors_leads.leads_visible_to`` (annotated rows)."""

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
        + " | ".join(lead_workflow.DeclineReason.values)
    )
    reason_label = serializers.SerializerMethodField(
        help_text="The reason's label as bank staff read it, in the request's language."
    )
    reason_text = serializers.SerializerMethodField(
        help_text="The reason in plain words for the enterprise, in the request's language."
    )
    offers = LeadOfferSerializer(many=True, read_only=True)

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
            "assigned_to",
            "due_at",
            "overdue",
            "first_response_at",
            "escalated_at",
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
        e = lead.enterprise
        return LeadEnterpriseSerializer(e).data

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, lead) -> bool:
        return bool(
            lead.is_open
            and lead.due_at is not None
            and lead.first_response_at is None
            and lead.due_at < timezone.now()
        )

    @extend_schema_field(serializers.CharField())
    def get_reason_code(self, lead) -> str:
        if lead.status != Lead.Status.DECLINED:
            return ""
        return lead.decline_reason

    @extend_schema_field(serializers.CharField())
    def get_reason_label(self, lead) -> str:
        return lead.get_decline_reason_display() if self.get_reason_code(lead) else ""

    @extend_schema_field(serializers.CharField())
    def get_reason_text(self, lead) -> str:
        return lead_workflow.reason_text(self.get_reason_code(lead))


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
