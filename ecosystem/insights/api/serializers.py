"""Serializers of dashboard figures, shared by the bank, zone and platform dashboards' APIs."""

from __future__ import annotations

import decimal

from rest_framework import serializers
from rest_framework.settings import api_settings


def _converter(field):
    """``field.to_representation``; for a decimal written as text, the same steps with its
    context and exponent made once instead of per value (``DecimalField.quantize`` copies
    the context and raises 0.1 to a power at every call)."""
    plain_text = (
        isinstance(field, serializers.DecimalField)
        and field.decimal_places is not None
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not field.localize
    )
    if not plain_text:
        return field.to_representation
    context = decimal.getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    exponent = decimal.Decimal(".1") ** field.decimal_places
    rounding = field.rounding

    def text(value):
        if not isinstance(value, decimal.Decimal):
            value = decimal.Decimal(str(value).strip())
        return f"{value.quantize(exponent, rounding=rounding, context=context):f}"

    return text


class RowSerializer(serializers.Serializer):
    """A serializer of flat figures (a dict or an object of plain values, no nesting), for
    the dashboards' long lists (1,500 branches nationally): each value goes through its
    field's ``to_representation`` as DRF's ``Serializer.to_representation`` does it, a
    value None stays None, without DRF's per-field bookkeeping (a third of the bank API's
    time). Its fields are read-only outputs, each read by its own name (no ``source``)."""

    def to_representation(self, instance):
        converters = self.__dict__.get("_converters")
        if converters is None:
            converters = self._converters = [
                (field.field_name, _converter(field)) for field in self._readable_fields
            ]
        if isinstance(instance, dict):
            values = [(name, convert, instance[name]) for name, convert in converters]
        else:
            values = [(name, convert, getattr(instance, name)) for name, convert in converters]
        return {name: None if value is None else convert(value) for name, convert, value in values}


MONEY = {"max_digits": 18, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 1, "allow_null": True}


class ResponseFiguresSerializer(RowSerializer):
    """How the banks answer (``insights.bank.response_figures``; hours, percentages)."""

    responded = serializers.IntegerField(help_text="Leads answered.")
    median_hours = serializers.DecimalField(
        max_digits=10, decimal_places=1, allow_null=True, help_text="Median time to first response."
    )
    p90_hours = serializers.DecimalField(
        max_digits=10,
        decimal_places=1,
        allow_null=True,
        help_text="90th percentile of the time to first response.",
    )
    due = serializers.IntegerField(help_text="Leads whose response time passed, or answered.")
    on_time = serializers.IntegerField(help_text="Answered within the response time.")
    compliance = serializers.DecimalField(**PERCENT, help_text="on_time / due, in %.")
    overdue_open = serializers.IntegerField(help_text="Open leads overdue now.")


class AmountsSerializer(RowSerializer):
    offered = serializers.DecimalField(**MONEY)
    accepted = serializers.DecimalField(**MONEY)
    disbursed = serializers.DecimalField(**MONEY)


class ConversionSerializer(RowSerializer):
    """One row of ``insights.bank.conversion_by``."""

    key = serializers.IntegerField()
    label = serializers.CharField()
    leads = serializers.IntegerField()
    offers = serializers.IntegerField()
    accepted = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    disbursed_amount = serializers.DecimalField(**MONEY)
    conversion = serializers.DecimalField(**PERCENT, help_text="Lead to disbursement, in %.")


class FunnelRowSerializer(RowSerializer):
    stage = serializers.CharField()
    count = serializers.IntegerField()
    of_previous = serializers.DecimalField(**PERCENT)
    of_total = serializers.DecimalField(**PERCENT)


HOURS = {"max_digits": 10, "decimal_places": 1, "allow_null": True}


class DecisionFiguresSerializer(RowSerializer):
    """Time to first contact and to decision in working hours, and decisions within the
    product's promise (``insights.decision``); ``key``/``label`` are null/empty overall."""

    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    leads = serializers.IntegerField()
    contacted = serializers.IntegerField(help_text="Leads with a first contact.")
    contact_median_hours = serializers.DecimalField(
        **HOURS, help_text="Median working hours from creation to first contact."
    )
    contact_p90_hours = serializers.DecimalField(
        **HOURS, help_text="90th percentile of the working hours to first contact."
    )
    decided = serializers.IntegerField(help_text="Leads with an offer or a decline.")
    decision_median_hours = serializers.DecimalField(
        **HOURS, help_text="Median working hours from creation to the decision."
    )
    decision_p90_hours = serializers.DecimalField(
        **HOURS, help_text="90th percentile of the working hours to the decision."
    )
    decision_due = serializers.IntegerField(
        help_text="Leads decided, or whose decision due time passed."
    )
    decided_on_time = serializers.IntegerField(help_text="Decided by the decision due time.")
    decided_on_time_share = serializers.DecimalField(
        **PERCENT, help_text="decided_on_time / decision_due, in %."
    )


class TimeToDecisionSerializer(serializers.Serializer):
    overall = DecisionFiguresSerializer()
    banks = DecisionFiguresSerializer(
        many=True, help_text="Per bank the figures cover (one row for one bank's staff)."
    )
    products = DecisionFiguresSerializer(many=True)
    branches = DecisionFiguresSerializer(many=True)
    zones = DecisionFiguresSerializer(many=True)
    chains = DecisionFiguresSerializer(many=True)


class ZoneTimeToDecisionSerializer(serializers.Serializer):
    """How fast the banks decide on the zone's enterprises, by bank, branch, product and
    chain (working hours)."""

    overall = DecisionFiguresSerializer()
    banks = DecisionFiguresSerializer(many=True)
    branches = DecisionFiguresSerializer(many=True)
    products = DecisionFiguresSerializer(many=True)
    chains = DecisionFiguresSerializer(many=True)


class PlatformTimeToDecisionSerializer(serializers.Serializer):
    """How fast the banks decide across the portal, by bank, zone, product and chain
    (working hours)."""

    overall = DecisionFiguresSerializer()
    banks = DecisionFiguresSerializer(many=True)
    zones = DecisionFiguresSerializer(many=True)
    products = DecisionFiguresSerializer(many=True)
    chains = DecisionFiguresSerializer(many=True)
