"""The ecosystem page's reference: every enterprise of the zones loaded with its flags
(``insights.coverage.enterprise_flags``, every bank) and its stage computed in Python on
the day, grouped as ``ecosystem_funnel`` groups them (the computation the counters
replaced). Used by the ecosystem funnel's tests."""

from __future__ import annotations

from collections import defaultdict

from ecosystem.chains.models import Chain, EnterpriseNode
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.enterprises.models import Enterprise, FinancialYear
from ecosystem.enterprises.stage import Basis, stage_of
from ecosystem.insights.coverage import FunnelRow, enterprise_flags


def reference_funnel(*, zones, today) -> dict[str, list[FunnelRow]]:
    """The former ``ecosystem_funnel``: every enterprise loaded, its stage in Python."""
    enterprises = list(
        Enterprise.objects.filter(zone__in=zones).select_related("zone").order_by("pk")
    )
    ids = [e.pk for e in enterprises]
    flags = enterprise_flags(enterprise_ids=ids, bank_ids=None)
    latest = {}
    for year in FinancialYear.objects.filter(enterprise_id__in=ids).order_by(
        "enterprise_id", "year"
    ):
        latest[year.enterprise_id] = year
    chains_of: dict[int, set[str]] = defaultdict(set)
    for pk, code in EnterpriseNode.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "node__chain__code"
    ):
        chains_of[pk].add(code)
    total = FunnelRow("total", "")
    by_zone = {z.code: FunnelRow(z.code, z.name) for z in zones.order_by("code")}
    by_chain = {c.code: FunnelRow(c.code, c.name) for c in Chain.objects.all()}
    by_stage = {s.value: FunnelRow(s.value, str(s.label)) for s in LifecycleStage}
    for enterprise in enterprises:
        entry = flags[enterprise.pk]
        total.add(entry)
        by_zone[enterprise.zone.code].add(entry)
        for code in chains_of[enterprise.pk]:
            by_chain[code].add(entry)
        fy = latest.get(enterprise.pk)
        stage = stage_of(enterprise, basis=Basis.DECLARED, on=today, figures=fy).stage
        by_stage[str(stage.value)].add(entry)
    return {
        "total": [total],
        "zones": list(by_zone.values()),
        "chains": list(by_chain.values()),
        "stages": list(by_stage.values()),
    }


def plain(funnel) -> dict:
    return {
        by: [(r.key, str(r.label), r.counts, r.offered, r.financed) for r in rows]
        for by, rows in funnel.items()
    }
