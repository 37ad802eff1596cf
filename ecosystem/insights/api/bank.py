"""The bank dashboard's figures for the bank's own reports: GET /api/v1/financing/dashboard/.

The figures of the page (``insights.bank``) over the caller's leads (a
relationship manager's branches, a manager's bank), with the page's filters as query
parameters; an invalid filter is a 400 naming the field, not a silently wider answer."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ecosystem.core.errors import ApplicationError
from ecosystem.financing.api.common import READ_ERRORS, not_found
from ecosystem.financing.models import Lead
from ecosystem.financing.views.common import is_bank_staff
from ecosystem.insights.api.serializers import (
    AmountsSerializer,
    ConversionSerializer,
    FunnelRowSerializer,
    ResponseFiguresSerializer,
    TimeToDecisionSerializer,
)
from ecosystem.insights.views.bank import figures_for
from ecosystem.insights.views.bank_filter import filtered


class BankDashboardSerializer(serializers.Serializer):
    funnel = FunnelRowSerializer(many=True)
    amounts = AmountsSerializer()
    response = ResponseFiguresSerializer()
    banks = ConversionSerializer(
        many=True, help_text="Per bank the figures cover (one row for one bank's staff)."
    )
    products = ConversionSerializer(many=True)
    zones = ConversionSerializer(many=True)
    branches = ConversionSerializer(many=True)
    chains = ConversionSerializer(many=True)
    decision = TimeToDecisionSerializer(help_text="Time to first contact and to decision.")


FILTERS = [
    OpenApiParameter("created_from", OpenApiTypes.DATE, description="Leads created on or after."),
    OpenApiParameter("created_to", OpenApiTypes.DATE, description="Leads created on or before."),
    OpenApiParameter(
        "bank",
        OpenApiTypes.INT,
        description="One of my banks (for someone who works for several, or a platform admin).",
    ),
    OpenApiParameter("product", OpenApiTypes.INT, description="One of the bank's products."),
    OpenApiParameter("branch", OpenApiTypes.INT, description="One of the bank's branches."),
]


@extend_schema(
    summary="Bank dashboard figures over my leads (filters as on the page)",
    parameters=FILTERS,
    responses={200: BankDashboardSerializer, **READ_ERRORS},
)
class BankDashboardView(GenericAPIView):
    serializer_class = BankDashboardSerializer
    queryset = Lead.objects.none()
    filter_backends: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_bank_staff(request.user):
            raise not_found()

    def get(self, request):
        form, leads, scope = filtered(request)
        if form.is_bound and not form.is_valid():
            field, messages = next(iter(form.errors.items()))
            raise ApplicationError(
                messages[0], code="invalid_filter" if field == "__all__" else f"invalid_{field}"
            )
        of = figures_for(leads, scope, now=timezone.now())
        figures = {"funnel": of.funnel(), "amounts": of.amounts(), "response": of.response()}
        for name, dimension in (
            ("banks", "bank"),
            ("products", "product"),
            ("zones", "zone"),
            ("branches", "branch"),
            ("chains", "chain"),
        ):
            figures[name] = of.conversion(dimension)
        figures["decision"] = {
            "overall": of.decision_overall(),
            **{
                name: of.decision(dimension)
                for name, dimension in (
                    ("banks", "bank"),
                    ("products", "product"),
                    ("branches", "branch"),
                    ("zones", "zone"),
                    ("chains", "chain"),
                )
            },
        }
        return Response(BankDashboardSerializer(figures).data)
