"""The zone API: the review queue, a claim under review with its decisions (one and in
bulk), financial-year verification and the dashboard figures.

Claims and years come only from querysets scoped to the caller's zones, so anything
outside them, and everything for callers who are not zone officials, is a 404. Refusals
from the services keep their status: 400 for invalid input, 409 for a claim someone
else decided meanwhile.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.api.access import not_found, scoped_get
from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.enterprises.permissions import is_zone_official_for
from ecosystem.enterprises.review import services
from ecosystem.enterprises.review.api.serializers import (
    BulkDecisionSerializer,
    BulkResultSerializer,
    ClaimReviewDetailSerializer,
    DecisionSerializer,
    QueueFilterSerializer,
    QueueItemSerializer,
    YearReviewSerializer,
    YearVerificationSerializer,
)
from ecosystem.enterprises.review.queue import review_queue
from ecosystem.enterprises.review.selectors import (
    claim_history,
    enterprise_summary,
    registry_context,
    zone_claims,
    zone_years,
)
from ecosystem.enterprises.services import claim_transition, financial_year_set_verification
from ecosystem.enterprises.workflow import AWAITING_DECISION, ZONE, allowed_targets
from ecosystem.zones.selectors import zones_of_official


class ZoneOfficialMixin:
    """Zone officials only: to any other signed-in caller these endpoints do not exist."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not zones_of_official(user=request.user).exists():
            raise not_found()


@extend_schema(
    summary="Claims and financial years waiting for review in my zones",
    parameters=[QueueFilterSerializer],
    responses={200: QueueItemSerializer(many=True), **READ_ERRORS},
)
class QueueView(ZoneOfficialMixin, GenericAPIView):
    serializer_class = QueueItemSerializer
    queryset = QualificationClaim.objects.none()
    filter_backends: list = []

    def get(self, request):
        filters = dict(valid_data(QueueFilterSerializer(data=request.query_params)))
        items = review_queue(user=request.user, **filters)
        page = self.paginate_queryset(items)
        return self.get_paginated_response(QueueItemSerializer(page, many=True).data)


def review_detail(claim: QualificationClaim, user) -> dict:
    registry = registry_context(claim.enterprise)
    decisions = (
        [t for t in allowed_targets(claim.status, ZONE) if t != "under_review"]
        if claim.status in AWAITING_DECISION and is_zone_official_for(user, claim.enterprise)
        else []
    )
    return ClaimReviewDetailSerializer(
        {
            "claim": claim,
            "evidence": list(claim.evidence.all()),
            "registry_same_code": registry["same_code"],
            "registry_similar_name": registry["similar_name"],
            "history": claim_history(claim),
            "revisions": list(claim.revisions.select_related("created_by").order_by("number")),
            "lifecycle_stage": enterprise_summary(claim.enterprise)["stage"].stage.value,
            "allowed_decisions": decisions,
        }
    ).data


@extend_schema_view(
    retrieve=extend_schema(
        summary="A claim under review: data, evidence, list entries, history",
        responses={200: ClaimReviewDetailSerializer, **READ_ERRORS},
    ),
)
class ZoneClaimViewSet(ZoneOfficialMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Claims of enterprises in my zones (submitted ones, decided ones included)."""

    queryset = QualificationClaim.objects.none()
    serializer_class = ClaimReviewDetailSerializer
    filter_backends: list = []
    lookup_value_converter = "int"

    def get_queryset(self):
        return zone_claims(user=self.request.user)

    def get_object(self):
        return scoped_get(self.get_queryset(), pk=self.kwargs["pk"])

    def retrieve(self, request, pk=None):
        return Response(review_detail(self.get_object(), request.user))

    @extend_schema(
        summary="Approve, reject (reason code required) or ask for more information",
        request=DecisionSerializer,
        responses={200: ClaimReviewDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        claim = self.get_object()
        data = valid_data(DecisionSerializer(data=request.data))
        fields = {k: data.get(k, "") for k in ("reason_code", "reason_text", "message")}
        claim = claim_transition(claim=claim, to=data["to"], actor=request.user, **fields)
        return Response(
            review_detail(zone_claims(user=request.user).get(pk=claim.pk), request.user)
        )

    @extend_schema(
        summary="Approve or reject several claims with one reason",
        request=BulkDecisionSerializer,
        responses={200: BulkResultSerializer, **WRITE_ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="bulk-decide")
    def bulk_decide(self, request):
        data = valid_data(BulkDecisionSerializer(data=request.data))
        result = services.claims_bulk_decide(
            claim_ids=data["claim_ids"],
            actor=request.user,
            to=data["to"],
            reason_code=data.get("reason_code", ""),
            reason_text=data.get("reason_text", ""),
        )
        return Response(
            BulkResultSerializer(
                {
                    "done": [c.pk for c in result.done],
                    "refused": [
                        {"id": getattr(c, "pk", c), "detail": str(message)}
                        for c, message in result.refused
                    ],
                }
            ).data
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary="A financial year of an enterprise in my zones",
        responses={200: YearReviewSerializer, **READ_ERRORS},
    ),
)
class ZoneYearViewSet(ZoneOfficialMixin, mixins.RetrieveModelMixin, GenericViewSet):
    queryset = FinancialYear.objects.none()
    serializer_class = YearReviewSerializer
    filter_backends: list = []
    lookup_value_converter = "int"

    def get_queryset(self):
        return zone_years(user=self.request.user)

    def get_object(self):
        return scoped_get(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="Mark the figures verified, or flag a discrepancy (note required)",
        request=YearVerificationSerializer,
        responses={200: YearReviewSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def verification(self, request, pk=None):
        year = self.get_object()
        data = valid_data(YearVerificationSerializer(data=request.data))
        year = financial_year_set_verification(
            financial_year=year,
            actor=request.user,
            status=data["status"],
            note=data.get("note", ""),
        )
        return Response(YearReviewSerializer(self.get_queryset().get(pk=year.pk)).data)
