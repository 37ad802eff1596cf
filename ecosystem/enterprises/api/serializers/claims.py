"""Qualification claims and their evidence files."""

from django.urls import reverse
from rest_framework import serializers

from ecosystem.enterprises.api.serializers.common import NeverPartial
from ecosystem.enterprises.models import Evidence, QualificationClaim
from ecosystem.registries.models import Program


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ("id", "original_name", "kind", "size", "sha256", "uploaded_at", "download_url")
        read_only_fields = fields

    def get_download_url(self, evidence) -> str:
        return reverse(
            "api-claim-evidence-download",
            kwargs={
                "enterprise_pk": evidence.claim.enterprise_id,
                "claim_pk": evidence.claim_id,
                "pk": evidence.pk,
            },
        )


class EvidenceUploadSerializer(serializers.Serializer):
    """A PDF, JPEG or PNG of at most 10 MB, judged by its content, not its name."""

    file = serializers.FileField()


class ClaimSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="code", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = QualificationClaim
        fields = (
            "id",
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
            "version",
            "created_at",
            "updated_at",
            "evidence",
        )
        read_only_fields = fields


class ClaimCreateSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="code", queryset=Program.objects.all())

    class Meta:
        model = QualificationClaim
        fields = ("program", "certificate_number", "year", "valid_until")


class ClaimUpdateSerializer(NeverPartial, serializers.ModelSerializer):
    """Change a draft (or a claim asked for more information); ``version`` as last read."""

    program = serializers.SlugRelatedField(
        slug_field="code", queryset=Program.objects.all(), required=False
    )
    version = serializers.IntegerField(min_value=1)

    class Meta:
        model = QualificationClaim
        fields = ("version", "program", "certificate_number", "year", "valid_until")
        extra_kwargs = {
            "certificate_number": {"required": False},
            "year": {"required": False},
        }


class ClaimSubmitSerializer(serializers.Serializer):
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="For the reviewer, e.g. what was added after a request for information.",
    )
