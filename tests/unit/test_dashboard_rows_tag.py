"""``{% dashboard_rows %}`` renders a dashboard table's rows exactly as the template loop it
replaced did (``core/_dashboard_tables.html`` before session 12): classes, test ids, money
as 万元 with the exact yuan on hover, other decimals as yuan, numbers localised, text
escaped, safe HTML kept, in Chinese and English."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from ecosystem.core.amounts import Money

#: The loop as it was.
LOOP = Template(
    "{% load money %}{% for row in table.rows %}"
    '<tr>{% for cell in row %}<td class="{% if forloop.first %}dashboard-label{% else %}'
    'text-end text-nowrap{% endif %}" data-testid="cell-{{ name }}-'
    '{{ forloop.parentloop.counter0 }}-{{ forloop.counter0 }}">{{ cell|cell }}</td>'
    "{% endfor %}</tr>{% endfor %}"
)
TAG = Template("{% load dashboard_tables %}{% dashboard_rows name table %}")

ROWS = [
    ["<b>园区</b> & Co", 12, Money("38600000.00"), Decimal("1234.5"), None, Decimal("12.3")],
    [mark_safe("<i>safe</i>"), 0, Money("0.00"), Decimal("0"), 3.25, date(2026, 12, 6)],
    ["", -4, Money("-15.5"), Decimal("1e3"), True, "a\"b'c"],
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("table_name", ["zones", 'x"<y>'])
def test_rows_render_as_the_template_loop_did(language, table_name):
    context = {"name": table_name, "table": {"rows": ROWS}}
    with translation.override(language):
        want = LOOP.render(Context(context))
        got = TAG.render(Context(context))
    assert re.sub(r">\s+<", "><", got) == want
    assert got.count("<td") == sum(len(row) for row in ROWS)


def test_no_rows_render_nothing():
    assert TAG.render(Context({"name": "t", "table": {"rows": []}})) == ""


#: Equal values of different types, and the same values again: the tag renders a repeated
#: plain number or text once per table, never one type's rendering for another's.
REPEATED = [
    [1, True, "1", mark_safe("<b>x</b>"), "<b>x</b>", Decimal("0"), Decimal("-0"), 0],
    [True, 1, 1.0, "<b>x</b>", mark_safe("<b>x</b>"), Decimal("-0"), 0, Decimal("0.00")],
    [0, Decimal("0.00"), False, 1234567, 1234567, "a&b", "a&b", Money("0.00")],
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_repeated_values_of_other_types_render_as_the_loop_did(language):
    context = {"name": "t", "table": {"rows": REPEATED}}
    with translation.override(language):
        want = LOOP.render(Context(context))
        got = TAG.render(Context(context))
    assert re.sub(r">\s+<", "><", got) == want
