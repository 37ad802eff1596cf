"""The enterprise profile: read, register and update."""

from rest_framework import serializers

from ecosystem.enterprises.api.serializers.common import NeverPartial
from ecosystem.enterprises.models import Enterprise, IndustryDivision
from ecosystem.enterprises.services.registration import PROFILE_FIELDS
from ecosystem.zones.models import Zone


class EnterpriseSummarySerializer(serializers.ModelSerializer):
    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    zone_name = serializers.CharField(source="zone.name", read_only=True)
    identity_status_label = serializers.CharField(
        source="get_identity_status_display", read_only=True
    )

    class Meta:
        model = Enterprise
        fields = (
            "id",
            "uscc",
            "name",
            "name_en",
            "zone",
            "zone_name",
            "founded_on",
            "identity_status",
            "identity_status_label",
        )
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    """The profile as members, zone officials and consented banks see it."""

    zone = serializers.SlugRelatedField(slug_field="code", read_only=True)
    zone_name = serializers.CharField(source="zone.name", read_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True, allow_null=True)
    industry_section = serializers.CharField(
        source="industry.section.code", read_only=True, allow_null=True
    )
    identity_status_label = serializers.CharField(
        source="get_identity_status_display", read_only=True
    )
    identity_source_label = serializers.CharField(
        source="get_identity_source_display", read_only=True
    )

    class Meta:
        model = Enterprise
        fields = (
            "id",
            "uscc",
            "name",
            "name_en",
            "zone",
            "zone_name",
            "registered_address",
            "founded_on",
            "industry",
            "industry_name",
            "industry_section",
            "website",
            "contact_name",
            "contact_phone",
            "contact_email",
            "description",
            "identity_status",
            "identity_status_label",
            "identity_source",
            "identity_source_label",
            "identity_confirmed_at",
            "version",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class _ProfileInputSerializer(serializers.ModelSerializer):
    """Profile fields as input: zone by code, industry by GB/T 4754 division code."""

    zone = serializers.SlugRelatedField(slug_field="code", queryset=Zone.objects.all())
    industry = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndustryDivision.objects.all(),
        allow_null=True,
        required=False,
    )


class EnterpriseRegisterSerializer(_ProfileInputSerializer):
    """Register an enterprise; a code already registered files a join request instead."""

    # The code is checked (normalised, check digit) by the registration service, which
    # answers with the code ``invalid_uscc``; uniqueness is the service's business too.
    uscc = serializers.CharField(max_length=64)
    join_message = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Sent to the owners when the code is already registered.",
    )

    class Meta:
        model = Enterprise
        fields = ("uscc", "join_message", *PROFILE_FIELDS)


class EnterpriseUpdateSerializer(NeverPartial, _ProfileInputSerializer):
    """Change some profile fields; ``version`` is the one last read (409 if stale)."""

    version = serializers.IntegerField(min_value=1)
    zone = serializers.SlugRelatedField(
        slug_field="code", queryset=Zone.objects.all(), required=False
    )

    class Meta:
        model = Enterprise
        fields = ("version", *PROFILE_FIELDS)
        extra_kwargs = {name: {"required": False} for name in PROFILE_FIELDS}
