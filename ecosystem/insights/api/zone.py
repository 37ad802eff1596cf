"""The zone dashboard's figures in the API (GET /api/v1/zones/dashboard/)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ecosystem.core.api.access import id_filter, not_found, scoped_get
from ecosystem.core.api.errors import READ_ERRORS
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.review.api.views import ZoneOfficialMixin
from ecosystem.funds.api.dashboard import SchemeFiguresSerializer
from ecosystem.insights.api.serializers import (
    ResponseFiguresSerializer,
    ZoneTimeToDecisionSerializer,
)
from ecosystem.insights.zone import zone_dashboard
from ecosystem.zones.selectors import zones_of_official


class FunnelStageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    count = serializers.IntegerField()


class ProgramCountSerializer(serializers.Serializer):
    program = serializers.CharField(source="program__code")
    name_zh = serializers.CharField(source="program__name_zh")
    name_en = serializers.CharField(source="program__name_en")
    enterprises = serializers.IntegerField()


class BankResponseSerializer(ResponseFiguresSerializer):
    """How the banks answer the zone's enterprises (hours; percentages)."""

    p90_hours = None  # the zone dashboard shows the median only


class OverdueLeadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise = serializers.CharField(source="enterprise.name")
    uscc = serializers.CharField(source="enterprise.uscc")
    product = serializers.CharField(source="product.name")
    bank = serializers.CharField(source="bank.name")
    branch = serializers.CharField(source="branch.name")
    due_at = serializers.DateTimeField()


class ZoneDashboardSerializer(serializers.Serializer):
    zone = serializers.CharField(source="zone.code")
    zone_id = serializers.IntegerField(source="zone.pk")
    enterprises = serializers.IntegerField()
    stages = serializers.DictField(child=serializers.IntegerField())
    industries = serializers.DictField(child=serializers.IntegerField())
    programs = ProgramCountSerializer(many=True)
    decided_last_7_days = serializers.IntegerField()
    waiting = serializers.IntegerField()
    ageing = serializers.DictField(child=serializers.IntegerField())
    funnel = FunnelStageSerializer(many=True)
    offered_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    disbursed_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    sla = BankResponseSerializer()
    decision = ZoneTimeToDecisionSerializer(
        help_text="Time to first contact and to decision of the banks, in working hours."
    )
    overdue_leads = OverdueLeadSerializer(many=True)
    schemes = SchemeFiguresSerializer(
        many=True, help_text="Policy fund schemes the zone owns or is eligible for."
    )


@extend_schema(
    summary="Dashboard figures of one of my zones (?zone=<id>, default the first)",
    responses={200: ZoneDashboardSerializer, **READ_ERRORS},
)
class DashboardView(ZoneOfficialMixin, GenericAPIView):
    serializer_class = ZoneDashboardSerializer
    queryset = QualificationClaim.objects.none()
    filter_backends: list = []

    def get(self, request):
        zones = zones_of_official(user=request.user)
        wanted = request.query_params.get("zone", "")
        if wanted and not wanted.isdigit():
            raise not_found()
        zone = scoped_get(zones, pk=id_filter(wanted, "zone")) if wanted else zones.first()
        figures = dict(zone_dashboard(zone=zone))
        figures["funnel"] = [{"stage": k, "count": v} for k, v in figures["funnel"]]
        return Response(ZoneDashboardSerializer({"zone": zone, **figures}).data)
