"""The money rule: short figures in 万元 (Chinese) or CNY millions (English) with
thousands separators and the exact yuan on hover; fractions shown as percentages."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from ecosystem.core.templatetags.money import percent, rate, wan


@pytest.mark.parametrize(
    ("language", "value", "short", "exact"),
    [
        ("zh-hans", Decimal("38600000"), "3,860.00万元", "38,600,000.00 元"),
        ("zh-hans", Decimal("500"), "0.05万元", "500.00 元"),
        ("en", Decimal("38600000"), "CNY 38.60 million", "38,600,000.00 yuan"),
        ("en", Decimal("1234567890.5"), "CNY 1,234.57 million", "1,234,567,890.50 yuan"),
    ],
)
def test_an_amount_is_short_with_the_exact_yuan_on_hover(language, value, short, exact):
    with translation.override(language):
        html = str(wan(value))
    assert f">{short}</span>" in html
    assert f'title="{exact}"' in html


def test_no_amount_shows_nothing_and_text_stays_text():
    assert wan(None) == "" and wan("") == ""
    assert wan("n/a") == "n/a"


def test_the_filter_is_safe_html_in_a_template():
    with translation.override("zh-hans"):
        html = Template("{% load money %}{{ v|wan }}").render(Context({"v": Decimal("10000")}))
    assert html == '<span class="text-nowrap" title="10,000.00 元">1.00万元</span>'


@pytest.mark.parametrize(
    ("value", "shown"), [(Decimal("0.05"), "5.00%"), ("0.1234", "12.34%"), (None, "")]
)
def test_a_fraction_is_shown_as_a_percentage(value, shown):
    assert percent(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("4.1500"), "4.15%"), (Decimal("4.1250"), "4.125%"), (Decimal("5"), "5.00%")],
)
def test_a_rate_in_percent_drops_trailing_zeros_past_two_decimals(value, shown):
    assert rate(value) == shown
