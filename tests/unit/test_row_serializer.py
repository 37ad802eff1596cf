"""The dashboards' row serializers (``insights.api.serializers.RowSerializer``) write each
row exactly as DRF's own ``Serializer.to_representation`` does: the same keys in the same
order, decimals quantized and as strings, None kept, dicts and objects alike."""

from decimal import Decimal

import pytest
from rest_framework import serializers

from ecosystem.insights.api.serializers import (
    AmountsSerializer,
    ConversionSerializer,
    DecisionFiguresSerializer,
    FunnelRowSerializer,
    ResponseFiguresSerializer,
    RowSerializer,
)
from ecosystem.insights.api.zone import BankResponseSerializer
from ecosystem.insights.bank import ResponseFigures

INTEGERS = [0, 7, 1_234_567, 42]
DECIMALS = [Decimal("0"), Decimal("12.34"), Decimal("99.95"), Decimal("-0.05"), Decimal("7")]
TURNS = 5


def rows_for(serializer: serializers.Serializer) -> list[dict]:
    """Rows of every field: a value of each kind in turn, None where a field allows it."""
    out = []
    for turn in range(TURNS + 1):
        row = {}
        for i, (name, field) in enumerate(serializer.fields.items()):
            if isinstance(field, serializers.CharField):
                row[name] = ["", "科技贷", "Tech <loan> & co"][(turn + i) % 3]
            elif turn == TURNS and field.allow_null:
                row[name] = None
            elif isinstance(field, serializers.DecimalField):
                row[name] = DECIMALS[(turn + i) % len(DECIMALS)]
            else:
                row[name] = INTEGERS[(turn + i) % len(INTEGERS)]
        out.append({"extra": "not a field", **row})
    return out


@pytest.mark.parametrize(
    "serializer_class",
    [
        AmountsSerializer,
        BankResponseSerializer,
        ConversionSerializer,
        DecisionFiguresSerializer,
        FunnelRowSerializer,
        ResponseFiguresSerializer,
    ],
)
def test_rows_come_out_as_drf_writes_them(serializer_class):
    assert issubclass(serializer_class, RowSerializer)
    rows = rows_for(serializer_class())
    fast = serializer_class(rows, many=True).data
    plain = [serializers.Serializer.to_representation(serializer_class(), row) for row in rows]
    assert fast == plain
    assert [list(row) for row in fast] == [list(row) for row in plain]
    assert any(value is None for row in fast for value in row.values()) == any(
        field.allow_null for field in serializer_class().fields.values()
    )


def test_an_object_with_a_property_comes_out_as_drf_writes_it():
    figures = ResponseFigures(
        responded=3,
        median_hours=Decimal("1.25"),
        p90_hours=None,
        due=7,
        on_time=2,
        overdue_open=1,
    )  # compliance is a property: 2 / 7
    fast = ResponseFiguresSerializer(figures).data
    assert fast == serializers.Serializer.to_representation(ResponseFiguresSerializer(), figures)
    assert fast["compliance"] == "28.6" and fast["p90_hours"] is None
    assert "p90_hours" not in BankResponseSerializer(figures).data
