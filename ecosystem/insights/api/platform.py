"""The platform dashboard's figures for platform admins: GET /api/v1/platform/dashboard/.

The same figures as the page (``zones.selectors_platform``), for the admin's own reports.
To anyone else signed in the endpoint does not exist."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ecosystem.core.api.access import not_found
from ecosystem.core.api.errors import READ_ERRORS
from ecosystem.enterprises.models import Enterprise
from ecosystem.funds.api.dashboard import SchemeFiguresSerializer
from ecosystem.insights.api.serializers import (
    MONEY,
    PERCENT,
    AmountsSerializer,
    ConversionSerializer,
    PlatformTimeToDecisionSerializer,
    ResponseFiguresSerializer,
)
from ecosystem.insights.api.zone import FunnelStageSerializer
from ecosystem.insights.funds import platform_schemes
from ecosystem.insights.platform import platform_dashboard


class ZoneRowSerializer(serializers.Serializer):
    zone = serializers.CharField(source="zone.code")
    zone_id = serializers.IntegerField(source="zone.pk")
    name_zh = serializers.CharField(source="zone.name_zh")
    name_en = serializers.CharField(source="zone.name_en")
    registered = serializers.IntegerField()
    verified = serializers.IntegerField()
    verified_share = serializers.DecimalField(**PERCENT, help_text="verified / registered, in %.")
    matched = serializers.IntegerField()
    lead = serializers.IntegerField()
    offer = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    disbursed_amount = serializers.DecimalField(**MONEY)
    waiting = serializers.IntegerField(help_text="Claims waiting for a decision.")
    waiting_over_target = serializers.IntegerField(
        help_text="Of those, waiting longer than the zone's review target (working days)."
    )
    sla_due = serializers.IntegerField()
    sla_on_time = serializers.IntegerField()
    sla_compliance = serializers.DecimalField(**PERCENT)
    overdue = serializers.IntegerField(help_text="Open leads past their response time now.")


class PlatformDashboardSerializer(serializers.Serializer):
    enterprises = serializers.IntegerField()
    zones = ZoneRowSerializer(many=True)
    funnel = FunnelStageSerializer(many=True)
    amounts = AmountsSerializer()
    ageing = serializers.DictField(child=serializers.IntegerField())
    waiting = serializers.IntegerField()
    sla = ResponseFiguresSerializer()
    banks = ConversionSerializer(many=True)
    chains = ConversionSerializer(many=True)
    decision = PlatformTimeToDecisionSerializer(
        help_text="Time to first contact and to decision of the banks, in working hours."
    )
    schemes = SchemeFiguresSerializer(many=True, help_text="Every policy fund scheme.")


@extend_schema(
    summary="Platform-wide dashboard figures (platform admins)",
    responses={200: PlatformDashboardSerializer, **READ_ERRORS},
)
class PlatformDashboardView(GenericAPIView):
    serializer_class = PlatformDashboardSerializer
    queryset = Enterprise.objects.none()
    filter_backends: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request.user.is_superuser:
            raise not_found()

    def get(self, request):
        figures = dict(platform_dashboard(english=(get_language() or "").startswith("en")))
        figures["funnel"] = [{"stage": k, "count": v} for k, v in figures["funnel"]]
        figures["schemes"] = platform_schemes()
        return Response(PlatformDashboardSerializer(figures).data)
