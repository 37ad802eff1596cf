"""Chain coverage in the API: per node, how far financing reached in the caller's zones
(GET /api/v1/chains/<code>/coverage/)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystem.chains.api import serializers as s
from ecosystem.chains.api.views import ZONE, coverage_scope
from ecosystem.chains.models import Chain
from ecosystem.core.api.access import scoped_get
from ecosystem.core.api.errors import READ_ERRORS
from ecosystem.insights.chain_figures import chain_coverage


class ChainCoverageView(APIView):
    """Coverage per node (zone officials, bank staff, platform admins)."""

    @extend_schema(
        summary="Coverage per node (zone officials, bank staff, platform admins)",
        parameters=[ZONE],
        responses={200: s.ChainCoverageSerializer, **READ_ERRORS},
    )
    def get(self, request, code: str):
        chain = scoped_get(Chain.objects.all(), code=code)
        zone, zones, banks = coverage_scope(request)
        nodes, total = chain_coverage(chain=chain, zones=zones, bank_ids=banks)
        payload = {
            "chain": chain.code,
            "zone": zone.pk if zone else None,
            "totals": total,
            "nodes": nodes,
        }
        return Response(s.ChainCoverageSerializer(payload).data)
