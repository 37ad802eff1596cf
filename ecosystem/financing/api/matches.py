"""Matches: an enterprise's members see their own with the explanation; bank staff see
those of their bank's products, masked unless the enterprise gave the bank consent."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.api.access import id_filter
from ecosystem.core.api.errors import valid_data
from ecosystem.enterprises.selectors import enterprises_for_member
from ecosystem.enterprises.services import access_log_record_many
from ecosystem.financing import selectors, services
from ecosystem.financing.api.common import READ_ERRORS, WRITE_ERRORS, forbidden, scoped_get
from ecosystem.financing.api.serializers import (
    FinancingLeadSerializer,
    FinancingMatchSerializer,
    MatchApplySerializer,
)
from ecosystem.financing.eligibility.evaluator import evaluate
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.models import Match
from ecosystem.financing.services.applications import NewNeed

FILTERS = [
    OpenApiParameter("enterprise", OpenApiTypes.INT, description="Only this enterprise's."),
    OpenApiParameter("product", OpenApiTypes.INT, description="Only this product's."),
]


def _explanation(evaluation) -> dict:
    return {
        "eligible": evaluation.eligible,
        "score": evaluation.score,
        "limit": evaluation.limit,
        "calculation": evaluation.calculation,
        "advice": evaluation.advice,
        "would_match_once_verified": evaluation.would_match_once_verified,
        "criteria": [c.__dict__ for c in evaluation.criteria],
    }


def match_payloads(matches, *, user) -> list[dict]:
    """Matches as the user may see them; a bank's view of a consenting enterprise is
    written to that enterprise's access log."""
    matches = list(matches)
    own = set(enterprises_for_member(user=user).values_list("pk", flat=True))
    on = timezone.localdate()
    rows = {row.match_id: row for row in selectors.match_rows(matches, on=on)}
    # A member sees the details of its own enterprises, consented or not: read once for
    # the page, not once per match.
    hidden_own = {
        m.enterprise_id: m.enterprise
        for m in matches
        if m.enterprise_id in own and rows[m.pk].enterprise is None
    }
    own_details = selectors.enterprise_details(hidden_own.values()) if hidden_own else {}
    facts = {}
    payloads = []
    seen: list[tuple[int, int]] = []  # shown unmasked to a bank: one access-log INSERT
    for m in matches:
        row = rows[m.pk]
        mine = m.enterprise_id in own
        enterprise = row.enterprise
        explanation = None
        if mine:
            if m.enterprise_id not in facts:
                facts[m.enterprise_id] = facts_for(m.enterprise, on=on)
            explanation = _explanation(evaluate(facts[m.enterprise_id], m.product_version, on=on))
            enterprise = enterprise or own_details[m.enterprise_id]
        elif enterprise is not None:
            seen.append((m.enterprise_id, m.product.bank_id))
        payloads.append(
            {
                **{k: v for k, v in row.__dict__.items() if k not in ("match_id", "enterprise")},
                "id": m.pk,
                "product": m.product_id,
                "bank": m.product.bank_id,
                "masked": enterprise is None,
                "own": mine,
                "enterprise": enterprise.__dict__ | {"id": enterprise.pk} if enterprise else None,
                "explanation": explanation,
            }
        )
    access_log_record_many(viewer=user, seen=seen, section="api:matches")
    return payloads


@extend_schema_view(
    list=extend_schema(summary="Matches you may see", parameters=FILTERS),
    retrieve=extend_schema(
        summary="One match", responses={200: FinancingMatchSerializer, **READ_ERRORS}
    ),
)
class FinancingMatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Your enterprises' matches with the per-criterion explanation and the limit
    calculation; for bank staff, the matches of the bank's products (no name, code,
    contact or figures without the enterprise's consent)."""

    queryset = Match.objects.none()
    serializer_class = FinancingMatchSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        matches = selectors.matches_visible_to(user=self.request.user)
        for name in ("enterprise", "product"):
            value = id_filter(self.request.query_params.get(name), name)
            if value is not None:
                matches = matches.filter(**{f"{name}_id": value})
        return matches

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        data = FinancingMatchSerializer(match_payloads(page, user=request.user), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        match = scoped_get(self.get_queryset(), pk=pk)
        payload = match_payloads([match], user=request.user)[0]
        return Response(FinancingMatchSerializer(payload).data)

    @extend_schema(
        summary="Apply for the matched product (members): consent to the bank and a lead "
        "carrying the financing need it serves",
        request=MatchApplySerializer,
        responses={201: FinancingLeadSerializer, 200: FinancingLeadSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        match = scoped_get(self.get_queryset(), pk=pk)
        own = enterprises_for_member(user=request.user).filter(pk=match.enterprise_id).first()
        if own is None:
            raise forbidden(_("Only members of the enterprise can apply."))
        data = valid_data(MatchApplySerializer(data=request.data))
        new_need = None
        if "amount" in data:
            new_need = NewNeed(
                amount=data["amount"],
                term_months=data["term_months"],
                purpose=data["purpose"],
                collateral=data.get("collateral") or "none",
            )
        had_lead = selectors.open_leads_of(enterprise=own).filter(product=match.product).exists()
        lead = services.match_apply(
            enterprise=own,
            actor=request.user,
            match=match,
            need=data.get("need"),
            new_need=new_need,
        )
        return Response(
            FinancingLeadSerializer(lead).data,
            status=status.HTTP_200_OK if had_lead else status.HTTP_201_CREATED,
        )
