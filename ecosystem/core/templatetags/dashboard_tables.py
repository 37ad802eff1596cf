"""``{% dashboard_rows name table %}``: a dashboard table's body rows, written in Python.

The platform dashboard shows about 8,600 cells; a template loop spent ~70 µs on each (a
``forloop`` context, two ``if`` tags, the ``cell`` filter, three variables), 0.6 s a page
at national size. Each cell is rendered exactly as ``{{ cell|cell }}`` renders it
(``render_value_in_context``: localised, escaped unless already safe), with the same
classes and test ids as the loop it replaces (``core/_dashboard_tables.html``).
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ecosystem.core.templatetags.money import cell

register = template.Library()

FIRST = "dashboard-label"
OTHER = "text-end text-nowrap"
#: Cell types whose equal values render alike (a Decimal does not: -0 equals 0).
MEMO_TYPES = (int, str)


@register.simple_tag(takes_context=True)
def dashboard_rows(context, name, table) -> str:
    """The ``<tr>`` of ``table["rows"]`` (empty for none)."""
    rows = table.get("rows") if isinstance(table, dict) else getattr(table, "rows", None)
    prefix = f"cell-{conditional_escape(name)}-"
    # A plain number or text renders the same wherever it stands in the table: rendered
    # once (about half a national platform page's cells repeat one). Keyed by exact type
    # too, so 1 and True, "x" and safe "x", never share a rendering.
    shown: dict = {}

    def rendered(value) -> str:
        if type(value) not in MEMO_TYPES:
            return render_value_in_context(cell(value), context)
        key = (type(value), value)
        text = shown.get(key)
        if text is None:
            text = shown[key] = render_value_in_context(cell(value), context)
        return text

    out = []
    for r, row in enumerate(rows or ()):
        cells = [
            f'<td class="{FIRST if c == 0 else OTHER}" data-testid="{prefix}{r}-{c}">'
            f"{rendered(value)}</td>"
            for c, value in enumerate(row)
        ]
        out.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above
