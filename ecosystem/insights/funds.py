"""The policy-fund schemes on the zone and platform dashboards: per scheme its fund, filed
balance, headroom, leverage used, non-performing ratio, compensation paid and subsidies
paid (``funds.dashboard``'s figures). A zone sees the schemes it owns or is eligible for;
the platform every scheme."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from ecosystem.funds.dashboard import scheme_rows
from ecosystem.funds.dashboard.tables import percent, times
from ecosystem.funds.models import Scheme


def zone_schemes(zone) -> list[dict]:
    """The schemes ``zone`` owns or whose terms make its firms eligible (any version)."""
    schemes = Scheme.objects.filter(
        pk__in=Scheme.objects.filter(Q(owner_zone=zone) | Q(versions__zones=zone)).values("pk")
    )
    return scheme_rows(schemes.order_by("name", "pk"))


def platform_schemes() -> list[dict]:
    return scheme_rows(Scheme.objects.order_by("name", "pk"))


def schemes_panel(rows: list[dict]) -> dict:
    """The panel as a dashboard table (shown, charted nowhere, exported like the others)."""
    return {
        "title": _("Policy fund schemes"),
        "header": [
            _("scheme"),
            _("fund (yuan)"),
            _("filed balance (yuan)"),
            _("headroom (yuan)"),
            _("leverage used"),
            _("non-performing ratio"),
            _("compensation paid (yuan)"),
            _("subsidies paid (yuan)"),
        ],
        "rows": [
            [
                row["scheme"].name,
                row["fund"],
                row["filed_balance"],
                "" if row["headroom"] is None else row["headroom"],
                times(row["leverage_used"]),
                percent(row["npl_ratio"]),
                row["paid"],
                row["subsidies_paid"],
            ]
            for row in rows
        ],
    }
