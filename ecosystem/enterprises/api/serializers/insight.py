"""Read-only insights on an enterprise: lifecycle stage and TSME self-assessment."""

from rest_framework import serializers

from ecosystem.enterprises.assessment import (
    RD_BASIS_COSTS,
    RD_BASIS_REVENUE,
    ROUTE_DIRECT,
    ROUTE_SCORE,
)
from ecosystem.enterprises.lifecycle import LifecycleStage


class LifecycleSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=LifecycleStage.choices())
    stage_label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    age_years = serializers.IntegerField(allow_null=True)
    figures_year = serializers.IntegerField(
        allow_null=True, help_text="The year whose revenue and headcount were used."
    )
    on = serializers.DateField()


class GateSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    actual = serializers.CharField(help_text="Headcount, or yuan as a decimal string.")
    limit = serializers.CharField()
    passed = serializers.BooleanField()


class AssessmentResultSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    route = serializers.ChoiceField(
        choices=[ROUTE_SCORE, ROUTE_DIRECT],
        allow_null=True,
        help_text="score: at least the pass score; direct: a valid high-tech certificate.",
    )
    score = serializers.IntegerField()
    staff_points = serializers.IntegerField()
    rd_points = serializers.IntegerField()
    rd_basis = serializers.ChoiceField(choices=[RD_BASIS_REVENUE, RD_BASIS_COSTS])
    results_points = serializers.IntegerField()
    staff_share = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    rd_revenue_ratio = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    rd_cost_ratio = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    gates = GateSerializer(many=True)
    gates_passed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class SelfAssessmentSerializer(serializers.Serializer):
    """Advisory only: it verifies nothing. ``result`` is null until figures exist."""

    figures_year = serializers.IntegerField(allow_null=True)
    has_valid_hte_certificate = serializers.BooleanField()
    result = AssessmentResultSerializer(allow_null=True)
    note = serializers.CharField()
