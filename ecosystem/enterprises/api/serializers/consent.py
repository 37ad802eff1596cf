"""Consent for banks and the log of what banks viewed."""

from rest_framework import serializers

from ecosystem.enterprises.consent_texts import TEXTS
from ecosystem.enterprises.models import AccessLogEntry, Consent
from ecosystem.enterprises.selectors import consent_banks


class ConsentSerializer(serializers.ModelSerializer):
    """Read a consent, or grant one by ``bank`` (code) and ``purpose``."""

    bank = serializers.SlugRelatedField(slug_field="code", queryset=consent_banks())
    bank_name = serializers.CharField(source="bank.name", read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    text = serializers.SerializerMethodField()
    granted_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    revoked_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = (
            "id",
            "bank",
            "bank_name",
            "purpose",
            "purpose_label",
            "text_version",
            "text",
            "granted_by",
            "granted_at",
            "revoked_by",
            "revoked_at",
            "is_active",
        )
        read_only_fields = (
            "id",
            "text_version",
            "granted_by",
            "granted_at",
            "revoked_by",
            "revoked_at",
        )

    def get_text(self, consent) -> str:
        """The consent text of that version, in the active language."""
        return str(TEXTS.get(consent.text_version, ""))


class AccessLogEntrySerializer(serializers.ModelSerializer):
    viewer = serializers.StringRelatedField()
    viewer_email = serializers.EmailField(source="viewer.email", read_only=True)
    bank = serializers.SlugRelatedField(slug_field="code", read_only=True)
    bank_name = serializers.CharField(source="bank.name", read_only=True)

    class Meta:
        model = AccessLogEntry
        fields = ("id", "viewer", "viewer_email", "bank", "bank_name", "section", "viewed_at")
        read_only_fields = fields
