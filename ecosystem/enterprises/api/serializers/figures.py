"""Yearly figures and financing needs. Amounts are Decimal yuan, sent as strings."""

from rest_framework import serializers

from ecosystem.enterprises.api.serializers.common import NeverPartial
from ecosystem.enterprises.models import FinancialYear, FinancingNeed
from ecosystem.enterprises.models.figures import FIGURE_FIELDS


class FinancialYearSerializer(serializers.ModelSerializer):
    class_i_ip = serializers.IntegerField(read_only=True)
    class_ii_ip = serializers.IntegerField(read_only=True)
    verified_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = FinancialYear
        fields = (
            "year",
            *FIGURE_FIELDS,
            "class_i_ip",
            "class_ii_ip",
            "verification_status",
            "verified_by",
            "verified_at",
            "verification_note",
            "version",
            "updated_at",
        )
        read_only_fields = fields


class FinancialYearCreateSerializer(serializers.ModelSerializer):
    """A new year. Cross-field rules (R&D expense within costs, S&T staff within
    employees, no future year) are the service's and come back as field errors."""

    class Meta:
        model = FinancialYear
        fields = ("year", *FIGURE_FIELDS)


class FinancialYearUpdateSerializer(NeverPartial, serializers.ModelSerializer):
    """Change some figures of a year; ``version`` is the one last read (409 if stale)."""

    version = serializers.IntegerField(min_value=1)

    class Meta:
        model = FinancialYear
        fields = ("version", *FIGURE_FIELDS)
        extra_kwargs = {name: {"required": False} for name in FIGURE_FIELDS}


class FinancingNeedSerializer(serializers.ModelSerializer):
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    collateral_label = serializers.CharField(source="get_collateral_display", read_only=True)

    class Meta:
        model = FinancingNeed
        fields = (
            "id",
            "amount",
            "term_months",
            "purpose",
            "purpose_label",
            "collateral",
            "collateral_label",
            "note",
            "status",
            "created_at",
        )
        read_only_fields = ("id", "status", "created_at")
