"""Money in tables: ``{{ value|yuan }}`` groups thousands with commas and keeps two
decimals (as Chinese bank statements do) whatever the page's language; ``{{ value|cell }}``
does that for a Decimal and shows anything else as it is."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{amount.quantize(Decimal('0.01')):,}"


@register.filter
def cell(value):
    return yuan(value) if isinstance(value, Decimal) else value
