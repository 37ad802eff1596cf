"""The fund dashboard's figures: per scheme — fund, filed balance, leverage used,
headroom, loans and firms served, non-performing balance and ratio, compensation
requested, approved and paid, subsidies paid — in total and broken down by the loan's
bank, its firm's zone, industrial chain or lifecycle stage (``figures.DIMENSIONS``).

Who sees which rows (``_rows_filter``): a fund manager their schemes (every bank); a zone
official the schemes its zones own or its zones are eligible for; a bank manager the
schemes their bank cooperates in, counting only their bank's loans; the platform admin
all. The sums come from ``figures.grouped_sums`` (SQL, a fixed number of queries); the
scheme's own figures (fund, leverage, headroom) from ``selectors.scheme_figures``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.accounts.scope import scope_of
from ecosystem.core.amounts import Money
from ecosystem.funds.dashboard.figures import DIMENSIONS, SUMS, grouped_sums
from ecosystem.funds.models import Scheme
from ecosystem.funds.selectors import scheme_figures
from ecosystem.funds.services.common import cents

__all__ = ["DIMENSIONS", "MONEY", "fund_dashboard", "scheme_rows", "scheme_summary"]

ZERO = Decimal("0.00")
#: The figures that are sums of money (yuan, to the fen).
MONEY = (
    "fund",
    "headroom",
    "filed_balance",
    "non_performing",
    "claimed",
    "approved",
    "paid",
    "subsidies_paid",
)


def _rows_filter(scope) -> tuple[Q, set | None]:
    """(schemes seen, banks seen or None for every bank)."""
    if scope.admin_may("view_platform_dashboard"):
        return Q(), None
    schemes = (
        Q(pk__in=scope.scheme_ids)
        | Q(owner_zone_id__in=scope.zone_ids)
        | Q(versions__zones__in=scope.zone_ids)
    )
    if scope.managed_bank_ids:
        schemes |= Q(banks__bank_id__in=scope.managed_bank_ids)
        if not (scope.scheme_ids or scope.zone_ids):
            return schemes, set(scope.managed_bank_ids)
    return schemes, None


def _visible(user) -> tuple[list[Scheme], set | None]:
    scope = scope_of(user)
    if not scope.is_authenticated:
        return [], None
    schemes_q, banks = _rows_filter(scope)
    schemes = Scheme.objects.filter(pk__in=Scheme.objects.filter(schemes_q).values("pk"))
    return list(schemes.select_related("owner_zone").order_by("name", "pk")), banks


def _scheme_part(scheme: Scheme) -> dict:
    """The scheme's own figures: terms in force, fund, leverage used and headroom (none
    for an interest-subsidy scheme, which lends nothing against its fund)."""
    figures = scheme_figures(scheme)
    terms = figures["terms"]
    pool = scheme.kind == Scheme.Kind.RISK_POOL and terms is not None
    return {
        "scheme": scheme,
        "scheme_id": scheme.pk,
        "kind": scheme.get_kind_display(),
        "fund": terms.fund_size if terms else ZERO,
        "leverage_cap": terms.leverage_cap if pool else None,
        "leverage_used": figures["leverage_used"] if pool else None,
        "headroom": figures["headroom"] if pool else None,
    }


def _finish(row: dict) -> dict:
    balance = row["filed_balance"]
    row["npl_ratio"] = (
        (row["non_performing"] / balance).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        if balance
        else ZERO
    )
    for key in MONEY:
        if row.get(key) is not None:
            row[key] = Money(cents(row[key]))
    return row


def scheme_rows(schemes, *, bank_ids=None, by: str | None = None, today=None) -> list[dict]:
    """One row per scheme (``by`` None) or per scheme and value of dimension ``by``: the
    scheme's figures and the sums of its loans (of ``bank_ids`` only, when given)."""
    schemes = list(schemes)
    if not schemes:  # no loans to add up: not three grouped querysets built for nothing
        return []
    today = today or timezone.localdate()
    sums = grouped_sums(scheme_ids=[s.pk for s in schemes], bank_ids=bank_ids, by=by, on=today)
    labels = _labels(by, {key for _scheme, key in sums})
    rows = []
    for scheme in schemes:
        part = _scheme_part(scheme)
        keys = [key for scheme_id, key in sums if scheme_id == scheme.pk]
        if not keys:  # a scheme without loans yet: its own figures, zero sums
            rows.append(
                _finish(
                    {**part, **dict(SUMS), "key": None, "label": scheme.name if by is None else "—"}
                    | ({by: "—"} if by else {})
                )
            )
            continue
        for key in sorted(keys, key=lambda k: labels.get(k, ("", ""))[0]):
            row = {**part, **sums[(scheme.pk, key)], "key": key}
            row["label"] = labels.get(key, ("", ""))[1] if by else scheme.name
            if by:
                row[by] = row["label"]
            rows.append(_finish(row))
    return rows


def _labels(by: str | None, keys: set) -> dict:
    """``{key: (sort key, label)}``: names in the active language, never codes."""
    if by is None:
        return {}
    if by == "stage":
        from ecosystem.enterprises.lifecycle import LifecycleStage

        order = list(LifecycleStage)
        return {
            key: (f"{order.index(LifecycleStage(key)):03}", str(LifecycleStage(key).label))
            for key in keys
            if key
        }
    if by == "chain":
        from ecosystem.chains.models import Chain

        chains = Chain.objects.in_bulk([k for k in keys if k is not None])
        labels = {
            pk: (f"{chain.position:05}{chain.code}", chain.name) for pk, chain in chains.items()
        }
        labels[None] = ("~", _("not on a chain"))
        return labels
    if by == "bank":
        from ecosystem.financing.models import Bank as model
    elif by == "zone":
        from ecosystem.zones.models import Zone as model
    else:
        raise ValueError(by)
    found = model.objects.in_bulk([k for k in keys if k is not None])
    return {pk: (obj.name, obj.name) for pk, obj in found.items()}


def scheme_summary(*, user, today=None) -> list[dict]:
    """The schemes ``user`` sees, one row each (a bank manager: their bank's loans)."""
    schemes, banks = _visible(user)
    return scheme_rows(schemes, bank_ids=banks, today=today)


def fund_dashboard(*, user, by: str = "bank", today=None) -> list[dict]:
    """The rows ``user`` sees per scheme and value of dimension ``by``."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    schemes, banks = _visible(user)
    return scheme_rows(schemes, bank_ids=banks, by=by, today=today)
