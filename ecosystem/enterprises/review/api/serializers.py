"""The zone API's shapes: queue items, a claim under review, decisions, financial years."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ecosystem.enterprises.models import ClaimRevision, Evidence, FinancialYear, QualificationClaim
from ecosystem.enterprises.models.figures import FIGURE_FIELDS, VerificationStatus
from ecosystem.enterprises.review.services import BULK_LIMIT
from ecosystem.enterprises.workflow import AWAITING_DECISION, ClaimStatus
from ecosystem.registries.models import Program, RegistryEntry

DECISIONS = [ClaimStatus.VERIFIED, ClaimStatus.REJECTED, ClaimStatus.NEEDS_INFO]
KINDS = ("claim", "financial_year")
KIND_HELP = "claim or financial_year"


class QueueFilterSerializer(serializers.Serializer):
    """Query parameters of the queue."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    program = serializers.SlugRelatedField(
        slug_field="code", queryset=Program.objects.all(), required=False
    )
    status = serializers.ChoiceField(
        choices=ClaimStatus.choices,
        required=False,
        help_text="One of the states waiting for a decision: "
        + ", ".join(sorted(AWAITING_DECISION)),
    )
    kind = serializers.CharField(required=False, allow_blank=True, help_text=KIND_HELP)
    min_age = serializers.IntegerField(min_value=0, max_value=999, required=False)

    def validate_status(self, value):
        if value not in AWAITING_DECISION:
            raise serializers.ValidationError(_("Only states waiting for a decision."))
        return value

    def validate_kind(self, value):
        if value not in ("", *KINDS):
            raise serializers.ValidationError(_("Unknown kind."))
        return value


class ZoneEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    zone = serializers.CharField(source="zone.code")


class QueueItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=KIND_HELP)
    id = serializers.IntegerField(source="obj.pk")
    enterprise = ZoneEnterpriseSerializer(source="obj.enterprise")
    program = serializers.SerializerMethodField()
    year = serializers.IntegerField(source="obj.year")
    status = serializers.SerializerMethodField()
    waiting_since = serializers.DateTimeField()
    age_working_days = serializers.IntegerField()
    target_days = serializers.IntegerField()
    overdue = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    def get_program(self, item) -> str | None:
        return item.obj.program.code if item.kind == "claim" else None

    def get_status(self, item) -> str:
        return item.obj.status if item.kind == "claim" else item.obj.verification_status

    def get_url(self, item) -> str:
        name = "api-zone-claim-detail" if item.kind == "claim" else "api-zone-year-detail"
        return reverse(name, args=[item.obj.pk])


class ReviewEvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    inline_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = (
            "id",
            "original_name",
            "kind",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
            "inline_url",
        )
        read_only_fields = fields

    def _route(self, evidence):
        return {
            "enterprise_pk": evidence.claim.enterprise_id,
            "claim_pk": evidence.claim_id,
            "pk": evidence.pk,
        }

    def get_download_url(self, evidence) -> str:
        return reverse("api-claim-evidence-download", kwargs=self._route(evidence))

    def get_inline_url(self, evidence) -> str:
        args = self._route(evidence)
        return reverse(
            "evidence_download", args=[args["enterprise_pk"], args["claim_pk"], args["pk"]]
        )


class ZoneRegistryEntrySerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="current or withdrawn")

    class Meta:
        model = RegistryEntry
        fields = (
            "program",
            "batch",
            "uscc",
            "name",
            "certificate_number",
            "year",
            "valid_until",
            "status",
        )
        read_only_fields = fields


class ClaimHistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    party = serializers.CharField()
    verb = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField()
    text = serializers.CharField()


class ZoneClaimRevisionSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()

    class Meta:
        model = ClaimRevision
        fields = ("number", "data", "message", "created_by", "created_at")
        read_only_fields = fields


class ClaimReviewSerializer(serializers.ModelSerializer):
    """A claim with what a reviewer needs beside it (see the view for the extra parts)."""

    program = serializers.SlugRelatedField(slug_field="code", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="the claim's workflow state")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    enterprise = ZoneEnterpriseSerializer(read_only=True)
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = QualificationClaim
        fields = (
            "id",
            "enterprise",
            "program",
            "program_name",
            "certificate_number",
            "year",
            "valid_until",
            "status",
            "status_label",
            "reason_code",
            "reason_text",
            "submitted_at",
            "decided_at",
            "decided_by",
            "version",
        )
        read_only_fields = fields


class ClaimReviewDetailSerializer(serializers.Serializer):
    claim = ClaimReviewSerializer()
    evidence = ReviewEvidenceSerializer(many=True)
    registry_same_code = ZoneRegistryEntrySerializer(many=True)
    registry_similar_name = ZoneRegistryEntrySerializer(many=True)
    history = ClaimHistoryEntrySerializer(many=True)
    revisions = ZoneClaimRevisionSerializer(many=True)
    lifecycle_stage = serializers.CharField()
    allowed_decisions = serializers.ListField(child=serializers.CharField())


class DecisionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=DECISIONS)
    reason_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    reason_text = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BulkDecisionSerializer(serializers.Serializer):
    claim_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=BULK_LIMIT
    )
    to = serializers.ChoiceField(choices=[ClaimStatus.VERIFIED, ClaimStatus.REJECTED])
    reason_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    reason_text = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BulkRefusalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    detail = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField())
    refused = BulkRefusalSerializer(many=True)


class YearReviewSerializer(serializers.ModelSerializer):
    enterprise = ZoneEnterpriseSerializer(read_only=True)
    verified_by = serializers.StringRelatedField()
    verification_label = serializers.CharField(
        source="get_verification_status_display", read_only=True
    )

    class Meta:
        model = FinancialYear
        fields = (
            "id",
            "enterprise",
            "year",
            *FIGURE_FIELDS,
            "verification_status",
            "verification_label",
            "verification_note",
            "verified_by",
            "verified_at",
            "updated_at",
        )
        read_only_fields = fields


class YearVerificationSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="verified, or discrepancy (then a note is required)")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate_status(self, value):
        if value not in (VerificationStatus.VERIFIED, VerificationStatus.DISCREPANCY):
            raise serializers.ValidationError(_("Mark the figures verified or flag a discrepancy."))
        return value
