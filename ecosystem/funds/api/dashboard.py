"""The fund dashboard's figures in the API: GET /api/v1/funds/dashboard/?by=bank|zone|
chain|stage — the same rows as the page (``funds.dashboard``), to the same people (fund
managers, zone officials, bank managers, platform admins); to anyone else signed in the
endpoint does not exist. Amounts are exact yuan."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ecosystem.core.api.access import not_found
from ecosystem.core.api.errors import READ_ERRORS, valid_data
from ecosystem.funds import permissions
from ecosystem.funds.dashboard import fund_dashboard, scheme_summary
from ecosystem.funds.dashboard.figures import DIMENSIONS
from ecosystem.funds.models import Scheme

MONEY = {"max_digits": 18, "decimal_places": 2}


class DashboardQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(
        choices=DIMENSIONS,
        default="bank",
        help_text="The breakdown: the loan's bank, its firm's zone, the industrial chains "
        "its firm sits on (a firm on two chains counts in both) or its firm's lifecycle "
        "stage today.",
    )


class SumsSerializer(serializers.Serializer):
    scheme_id = serializers.IntegerField()
    scheme = serializers.CharField(source="scheme.name")
    filed_balance = serializers.DecimalField(
        **MONEY, help_text="Outstanding principal of loans filed (awaiting or confirmed)."
    )
    loans = serializers.IntegerField(help_text="Loans filed (awaiting or confirmed).")
    firms = serializers.IntegerField(help_text="Firms of those loans.")
    non_performing = serializers.DecimalField(
        **MONEY, help_text="Of the filed balance, substandard or worse or 90+ days past due."
    )
    npl_ratio = serializers.DecimalField(
        max_digits=7, decimal_places=4, help_text="non_performing / filed_balance (a fraction)."
    )
    claimed = serializers.DecimalField(**MONEY, help_text="Compensation requested (not refused).")
    approved = serializers.DecimalField(**MONEY, help_text="Compensation approved or paid.")
    paid = serializers.DecimalField(**MONEY, help_text="Compensation paid.")
    subsidies_paid = serializers.DecimalField(**MONEY, help_text="Interest subsidies paid.")


class SchemeFiguresSerializer(SumsSerializer):
    kind = serializers.CharField(
        source="scheme.kind", help_text="risk_pool or interest_subsidy (as /funds/schemes/)."
    )
    kind_label = serializers.CharField(source="kind")
    fund = serializers.DecimalField(**MONEY, help_text="Fund size of the terms in force.")
    leverage_cap = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="Null for a subsidy scheme."
    )
    leverage_used = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text="The whole scheme's filed balance / fund (null for a subsidy scheme).",
    )
    headroom = serializers.DecimalField(
        **MONEY,
        allow_null=True,
        help_text="leverage cap × fund − the whole scheme's filed balance, never below zero.",
    )


class BreakdownRowSerializer(SumsSerializer):
    key = serializers.CharField(
        allow_null=True,
        help_text="The bank, zone or chain id, or the stage code; null: a firm on no chain "
        "(by chain) or a scheme with nothing to break down.",
    )
    label = serializers.CharField(help_text="The name shown on the page (request language).")


class FundDashboardSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=DIMENSIONS)
    schemes = SchemeFiguresSerializer(many=True)
    rows = BreakdownRowSerializer(many=True)


@extend_schema(
    summary="Fund dashboard: per scheme, and per scheme broken down by bank, zone, chain or "
    "stage (a bank manager: their bank's loans only)",
    parameters=[DashboardQuerySerializer],
    responses={200: FundDashboardSerializer, **READ_ERRORS},
)
class FundDashboardView(GenericAPIView):
    serializer_class = FundDashboardSerializer
    queryset = Scheme.objects.none()
    filter_backends: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not permissions.can_view_fund_dashboard(request.user):
            raise not_found()

    def get(self, request):
        by = valid_data(DashboardQuerySerializer(data=request.query_params))["by"]
        figures = {
            "by": by,
            "schemes": scheme_summary(user=request.user),
            "rows": fund_dashboard(user=request.user, by=by),
        }
        return Response(FundDashboardSerializer(figures).data)
