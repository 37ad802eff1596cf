"""The fund dashboard as tables (a title, a header and rows, as the page shows them and
the exports write them: amounts are exact ``Money`` in yuan, which a page cell shows in
万元 by the money rule) and the plain lists its charts draw."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ecosystem.funds.dashboard import fund_dashboard, scheme_summary

#: The breakdowns offered, with the heading of their label column and their title.
BREAKDOWNS = {
    "bank": (gettext_lazy("bank"), gettext_lazy("By bank")),
    "zone": (gettext_lazy("zone"), gettext_lazy("By zone")),
    "chain": (gettext_lazy("industrial chain"), gettext_lazy("By industrial chain")),
    "stage": (gettext_lazy("lifecycle stage"), gettext_lazy("By lifecycle stage")),
}


def percent(value) -> str:
    """A ratio (0.3750) as a percentage ("37.50%")."""
    if value is None:
        return ""
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def times(value) -> str:
    """A leverage (0.81) as a multiple of the fund ("0.81×"); nothing for a subsidy scheme."""
    return "" if value is None else f"{value}×"


def _blank(value):
    """Nothing rather than None (a subsidy scheme has no headroom)."""
    return "" if value is None else value


def _sums_header() -> list:
    return [
        _("filed balance (yuan)"),
        _("loans"),
        _("firms"),
        _("non-performing balance (yuan)"),
        _("non-performing ratio"),
        _("compensation requested (yuan)"),
        _("compensation approved (yuan)"),
        _("compensation paid (yuan)"),
        _("subsidies paid (yuan)"),
    ]


def _sums(row: dict) -> list:
    return [
        row["filed_balance"],
        row["loans"],
        row["firms"],
        row["non_performing"],
        percent(row["npl_ratio"]),
        row["claimed"],
        row["approved"],
        row["paid"],
        row["subsidies_paid"],
    ]


def schemes_table(rows: list[dict], *, title=None) -> dict:
    """One row per scheme: its fund, leverage and headroom beside its sums."""
    return {
        "title": title or _("Schemes"),
        "header": [
            _("scheme"),
            _("type"),
            _("fund (yuan)"),
            _("leverage used"),
            _("leverage cap"),
            _("headroom (yuan)"),
            *_sums_header(),
        ],
        "rows": [
            [
                row["scheme"].name,
                row["kind"],
                row["fund"],
                times(row["leverage_used"]),
                times(row["leverage_cap"]),
                _blank(row["headroom"]),
                *_sums(row),
            ]
            for row in rows
        ],
    }


def breakdown_table(rows: list[dict], by: str) -> dict:
    """One row per scheme and value of ``by``."""
    label, title = BREAKDOWNS[by]
    return {
        "title": str(title),
        "header": [_("scheme"), str(label), *_sums_header()],
        "rows": [[row["scheme"].name, row["label"], *_sums(row)] for row in rows],
    }


def dashboard_tables(*, user, by: str) -> dict[str, dict]:
    """The page's tables: the schemes, and the breakdown by ``by`` (named after it)."""
    return {
        "schemes": schemes_table(scheme_summary(user=user)),
        by: breakdown_table(fund_dashboard(user=user, by=by), by),
    }


def export_table(*, user, table: str) -> dict | None:
    """The table ``table`` ("schemes" or a breakdown), or None for no such table."""
    if table == "schemes":
        return schemes_table(scheme_summary(user=user))
    if table in BREAKDOWNS:
        return breakdown_table(fund_dashboard(user=user, by=table), table)
    return None


def short(amount) -> Decimal:
    """An amount as the money rule shortens it: 万元 in Chinese, millions in English."""
    english = (get_language() or "").lower().startswith("en")
    unit = Decimal(1000000) if english else Decimal(10000)
    return (Decimal(amount) / unit).quantize(Decimal("0.01"), ROUND_HALF_UP)


def short_unit() -> str:
    english = (get_language() or "").lower().startswith("en")
    return "CNY million" if english else "万元"


def chart_data(tables: dict, by: str) -> dict:
    """Plain lists for ECharts: per scheme its filed balance, headroom and money paid; per
    value of the breakdown its filed balance and non-performing balance (short amounts)."""
    schemes = tables["schemes"]["rows"]
    parts = tables[by]["rows"]
    several = len({row[0] for row in parts}) > 1

    def money(value):
        return None if value in ("", None) else short(value)

    return {
        "by": by,
        "schemes": {
            "labels": [row[0] for row in schemes],
            "filed": [money(row[6]) for row in schemes],
            "headroom": [money(row[5]) for row in schemes],
            "compensation": [money(row[13]) for row in schemes],
            "subsidies": [money(row[14]) for row in schemes],
        },
        "breakdown": {
            "labels": [f"{row[0]} · {row[1]}" if several else str(row[1]) for row in parts],
            "filed": [money(row[2]) for row in parts],
            "non_performing": [money(row[5]) for row in parts],
        },
        "text": {
            "unit": short_unit(),
            "filed": _("filed balance"),
            "headroom": _("headroom"),
            "compensation": _("compensation paid"),
            "subsidies": _("subsidies paid"),
            "non_performing": _("non-performing balance"),
        },
    }
