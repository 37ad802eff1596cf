from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from ecosystem.core.templatetags.money import cell, yuan


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1200000"), "1,200,000.00"),
        (Decimal("1234.5"), "1,234.50"),
        (Decimal("0"), "0.00"),
        (Decimal("-5000"), "-5,000.00"),
        (None, ""),
        ("", ""),
        ("abc", "abc"),
    ],
)
def test_yuan_groups_thousands_with_two_decimals(value, shown):
    assert yuan(value) == shown


def test_cell_formats_only_money():
    assert cell(Decimal("1000000")) == "1,000,000.00"
    assert cell(7) == 7
    assert cell("33.3%") == "33.3%"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_same_in_both_languages(language):
    with translation.override(language):
        rendered = Template("{% load money %}{{ v|yuan }}").render(Context({"v": Decimal("1e6")}))
    assert rendered == "1,000,000.00"
