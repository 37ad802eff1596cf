"""Money, one rule everywhere.

- ``{{ value|wan }}``: where people expect a short figure (lists, dashboards, offers), the
  amount in units of ten thousand yuan with thousands separators and two decimals, the
  exact amount in yuan on hover (``title``): Chinese "3,860.00万元", English
  "CNY 38.60 million" (English readers count in millions, not in 万).
- ``{{ value|yuan }}``: the exact amount in yuan, grouped with commas and two decimals
  (as Chinese bank statements do) whatever the page's language: forms, exports, the hover.
- ``{{ value|cell }}``: table cells: ``wan`` for ``Money`` (a sum marked as money),
  ``yuan`` for another Decimal, anything else as it is.
- ``{{ table|page_header }}``: a table's header as a page shows it: a column whose cells
  are all ``Money`` (shown by ``cell`` with their own unit, 万元) loses the "(yuan)" of
  the export's heading, which would contradict its cells; exports keep it.
- ``{{ value|percent }}``: a fraction (0.05) shown as a percentage ("5.00%").
- ``{{ value|rate }}``: a rate stored in percent (4.1500) as "4.15%".

Amounts are ``Decimal`` in yuan; nothing here rounds what is stored.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ecosystem.core.amounts import Money

register = template.Library()

TEN_THOUSAND = Decimal(10000)
MILLION = Decimal(1000000)
CENT = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return ""
    amount = _decimal(value)
    if amount is None:
        return str(value)
    return f"{amount.quantize(CENT, ROUND_HALF_UP):,}"


def exact_yuan_text(amount: Decimal) -> str:
    """The exact amount with its unit, in the active language ("38,600,000.00 元")."""
    return _("%(amount)s yuan") % {"amount": yuan(amount)}


def wan_yuan_text(amount: Decimal) -> str:
    """The short figure of the money rule, in the active language."""
    if (get_language() or "zh-hans").lower().startswith("en"):
        short = (amount / MILLION).quantize(CENT, ROUND_HALF_UP)
        return f"CNY {short:,} million"
    short = (amount / TEN_THOUSAND).quantize(CENT, ROUND_HALF_UP)
    return f"{short:,}万元"


@register.filter
def wan(value):
    """The short figure with the exact amount on hover; empty for no amount."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None or value == "" else value
    return format_html(
        '<span class="text-nowrap" title="{}">{}</span>',
        exact_yuan_text(amount),
        wan_yuan_text(amount),
    )


@register.filter
def percent(value, places: int = 2) -> str:
    """A stored fraction (0.05) as a percentage ("5.00%")."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    quantum = Decimal(1).scaleb(-int(places))
    return f"{(amount * 100).quantize(quantum, ROUND_HALF_UP)}%"


@register.filter
def cell(value):
    if isinstance(value, Money):
        return wan(value)
    return yuan(value) if isinstance(value, Decimal) else value


#: The unit at the end of a heading, as the catalogues write it: "amount (yuan)", "金额（元）".
YUAN_UNIT = re.compile(r"\s*[(（]\s*(?:yuan|元)\s*[)）]\s*$", re.IGNORECASE)


@register.filter
def page_header(table) -> list:
    """``table["header"]`` with the yuan unit dropped from columns of ``Money`` cells."""

    def part(name):
        return table.get(name) if isinstance(table, dict) else getattr(table, name, None)

    header = list(part("header") or [])
    rows = part("rows") or []
    for index, heading in enumerate(header):
        cells = [row[index] for row in rows if index < len(row) and row[index] is not None]
        if cells and all(isinstance(c, Money) for c in cells):
            header[index] = without_yuan(heading)
    return header


@register.filter
def without_yuan(heading) -> str:
    """A heading without its trailing yuan unit, for a column shown with ``wan``."""
    return YUAN_UNIT.sub("", str(heading))


@register.filter
def rate(value) -> str:
    """A rate stored in percent (4.1500) as people write it: "4.15%" (two decimals at least,
    more only where the rate has them)."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    shown = amount.quantize(CENT) if amount == amount.quantize(CENT) else amount.normalize()
    return f"{shown:f}%"
