"""The lead summary tables recounted from the leads, compared and rebuilt
(``manage.py rebuild_summaries``; the nightly drift check): the reference the
incremental upkeep in ``financing.summary`` is held to, plain Python over the rows."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db import connection, transaction

from ecosystem.core.drift import table_drift
from ecosystem.financing import funnel
from ecosystem.financing.models import (
    OFFERED_STATUSES,
    ChainLeadDuration,
    ChainLeadSummary,
    Disbursement,
    Lead,
    LeadDuration,
    LeadDurationRollup,
    LeadSummary,
    Offer,
)
from ecosystem.financing.summary import (
    CHAIN_KEY,
    COUNTS,
    DURATION_DIMS,
    KEY,
    MICRO,
    _facts,
)
from ecosystem.financing.summary_rollup import (
    rollup_of,
    rollup_rebuild,
    rollup_stored,
    rollup_write,
)


def _as_money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _normal(counts: dict) -> dict:
    return {
        name: _as_money(value) if name.endswith("_amount") else value
        for name, value in counts.items()
    }


def recount() -> tuple[dict, dict]:
    """The summary tables as a recount of the leads' rows would make them:
    ({key: counts}, {(kind, bank, branch, product, zone, value): leads}). Plain Python
    over the rows, read in chunks (any database; a million leads in seconds)."""
    return recount_all()[:2]


def _chains_by_enterprise() -> dict[int, tuple[int, ...]]:
    from ecosystem.chains.models import EnterpriseNode

    chains: dict[int, set] = {}
    pairs = EnterpriseNode.objects.order_by().values_list("enterprise_id", "node__chain_id")
    for enterprise_id, chain_id in pairs.distinct().iterator(chunk_size=20000):
        chains.setdefault(enterprise_id, set()).add(chain_id)
    return {pk: tuple(sorted(ids)) for pk, ids in chains.items()}


def recount_all(*, chains_only: bool = False) -> tuple[dict, dict, dict, dict]:
    """:func:`recount` and the chain tables' recount (``ChainLeadSummary``:
    {(chain, *key): counts}; ``ChainLeadDuration``: {(kind, chain, bank, branch,
    product, zone, value): leads}), in one pass over the leads. With ``chains_only``,
    over the leads of enterprises on a chain only (the first two come back partial)."""
    from django.db.models import Exists, OuterRef

    from ecosystem.chains.models import EnterpriseNode

    chains_of_enterprise = _chains_by_enterprise()
    offered: Counter = Counter()
    accepted: Counter = Counter()
    standing: Counter = Counter()
    offers: Counter = Counter()
    for lead_id, amount, status in Offer.objects.values_list("lead_id", "amount", "status"):
        offered[lead_id] += amount
        offers[lead_id] += 1
        if status == Offer.Status.ACCEPTED:
            accepted[lead_id] += amount
        if status in OFFERED_STATUSES:
            standing[lead_id] += amount
    disbursed = dict(Disbursement.objects.values_list("lead_id", "amount"))
    columns = (
        "pk",
        "bank_id",
        "branch_id",
        "product_id",
        "status",
        "reached",
        "created_at",
        "due_at",
        "decision_due_at",
        "first_contact_at",
        "decided_at",
        "contact_hours",
        "decision_hours",
        "enterprise_id",
    )
    summary: dict = {}
    durations: Counter = Counter()
    chain_summary: dict = {}
    chain_durations: Counter = Counter()
    leads = Lead.objects.order_by()
    if chains_only:
        placed = EnterpriseNode.objects.filter(enterprise_id=OuterRef("enterprise_id"))
        leads = leads.filter(Exists(placed))
    rows = leads.values_list(*columns, "enterprise__zone_id")
    for row in rows.iterator(chunk_size=5000):
        lead = Lead(**dict(zip(columns, row[:-1], strict=True)))
        lead.offered, lead.accepted = offered.get(lead.pk, 0), accepted.get(lead.pk, 0)
        lead.standing = standing.get(lead.pk, 0)
        lead.disbursed = disbursed.get(lead.pk, 0)
        lead.offer_count, lead.disbursement_count = offers[lead.pk], int(lead.pk in disbursed)
        facts = _facts(lead, row[-1], chains_of_enterprise.get(lead.enterprise_id, ()))
        for key, table in ((facts.key, summary),) + tuple(
            ((chain_id, *facts.key), chain_summary) for chain_id in facts.chains
        ):
            counts = table.setdefault(key, dict.fromkeys(COUNTS, 0))
            for name in COUNTS:
                counts[name] += facts.counts[name]
        for kind, value in facts.durations:
            durations[(kind, *facts.key[:4], value)] += 1
            for chain_id in facts.chains:
                chain_durations[(kind, chain_id, *facts.key[:4], value)] += 1
    return (
        {k: _normal(v) for k, v in summary.items()},
        dict(durations),
        {k: _normal(v) for k, v in chain_summary.items()},
        dict(chain_durations),
    )


def stored() -> tuple[dict, dict]:
    """The summary tables as they are (rows that count nothing left out)."""
    return stored_all()[:2]


def stored_all() -> tuple[dict, dict, dict, dict]:
    """:func:`stored` and the chain tables as they are."""
    out = []
    for model, key, dims in (
        (LeadSummary, KEY, DURATION_DIMS),
        (ChainLeadSummary, CHAIN_KEY, ("chain_id", *DURATION_DIMS)),
    ):
        summary = {}
        for row in model.objects.values(*key, *COUNTS).iterator():
            counts = _normal({name: row[name] for name in COUNTS})
            if any(counts.values()):
                summary[tuple(row[k] for k in key)] = counts
        duration_model = LeadDuration if model is LeadSummary else ChainLeadDuration
        durations = {
            (row[0], *row[1:-2], row[-2].quantize(MICRO)): row[-1]
            for row in duration_model.objects.exclude(leads=0).values_list(
                "kind", *dims, "value", "leads"
            )
        }
        out += [summary, durations]
    return tuple(out)


def summaries_drift() -> dict:
    """How the stored tables differ from a recount: the keys whose figures differ (at
    most 20 listed) and their number. Empty lists when they agree. With the enterprise
    funnel's tables (``funnel.drift``) and the enterprises' stages and verified counts
    (``enterprises.summary.drift``), the leads' kept zones (``summary_facts``), the chain
    pages' counters (``coverage_recount``), the ecosystem page's (``ecosystem_recount``),
    the claims and years waiting per zone and the products' match totals
    (``match_totals``)."""
    from ecosystem.enterprises import summary as enterprise_summary
    from ecosystem.enterprises import verified_programs, waiting
    from ecosystem.financing import coverage_recount, ecosystem_recount, match_totals
    from ecosystem.financing.summary_facts import lead_zones_drift

    counted, kept = recount_all(), stored_all()
    names = ("summary", "durations", "chain_summary", "chain_durations")
    out = table_drift(names, counted, kept)
    out |= lead_zones_drift()  # the zone each lead keeps (the dashboards' leads ahead)
    # the histograms summed per breakdown, held to the recounted histograms
    out |= table_drift(("duration_rollup",), [rollup_of(counted[1], counted[3])], [rollup_stored()])
    # the enterprise funnel: "enterprises", "zones"; "enterprise_summary", "zone_summary"
    out |= funnel.drift() | enterprise_summary.drift() | coverage_recount.drift()
    out |= ecosystem_recount.drift() | waiting.drift() | verified_programs.drift()
    return out | match_totals.drift()


def summaries_rebuild(*, refresh_facts: bool = True) -> dict:
    """Recount both tables from the leads (after refreshing the leads' stored facts and
    their kept zones) and replace them, with the enterprise funnel's (``funnel.rebuild``)
    and the enterprises' stages (``enterprises.summary.rebuild``), in one transaction.
    Returns the rows written."""
    from ecosystem.enterprises import summary as enterprise_summary
    from ecosystem.enterprises import verified_programs, waiting
    from ecosystem.financing import coverage_recount, match_totals
    from ecosystem.financing.summary_facts import leads_refresh_facts, leads_refresh_zones

    zones = leads_refresh_zones()  # cheap (the leads whose zone differs): always
    changed = leads_refresh_facts() if refresh_facts else 0
    with transaction.atomic():
        if connection.vendor == "postgresql":  # no move lands between recount and write
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE financing_leadsummary, financing_leadduration, "
                    "financing_chainleadsummary, financing_chainleadduration, "
                    "financing_leaddurationrollup"
                )
        tables = (LeadSummary, LeadDuration, ChainLeadSummary, ChainLeadDuration)
        for model in (*tables, LeadDurationRollup):
            model.objects.all().delete()
        summary, durations, chain_summary, chain_durations = recount_all()
        _tables_write(summary, durations, chain=False)
        _tables_write(chain_summary, chain_durations, chain=True)
        rollup = rollup_of(durations, chain_durations)
        rollup_write(rollup)
        enterprise_rows = funnel.rebuild()
        enterprise_rows |= enterprise_summary.rebuild()
        enterprise_rows |= coverage_recount.rebuild()  # the chain view's counters
        enterprise_rows |= ecosystem_tables_rebuild(recount_inputs=False)
        enterprise_rows |= waiting.rebuild()  # the claims' and years' review backlog
        enterprise_rows |= verified_programs.rebuild()  # verified enterprises per program
        enterprise_rows |= match_totals.rebuild()  # the bank's matches page's figures
    return {
        "leads_refreshed": changed,
        "lead_zones_refreshed": zones,
        "summary_rows": len(summary),
        "duration_rows": len(durations),
        "chain_summary_rows": len(chain_summary),
        "chain_duration_rows": len(chain_durations),
        "duration_rollup_rows": len(rollup),
        **enterprise_rows,
    }


def ecosystem_tables_rebuild(*, recount_inputs: bool = True) -> dict:
    """The ecosystem page's counters (``ecosystem_summary.rebuild``), built from the
    enterprise summaries; with ``recount_inputs``, first the tables they read that a
    world built before them lacks in part (``funnel.rebuild``: the enterprises' yuan
    offered and disbursed; ``coverage_recount.rebuild``: the chain counters' offers,
    disbursements and yuan offered). ``manage.py rebuild_summaries --ecosystem``."""
    from ecosystem.financing import coverage_recount, ecosystem_summary

    rows: dict = {}
    with transaction.atomic():
        if recount_inputs:
            rows |= funnel.rebuild()
            rows |= coverage_recount.rebuild()
        rows |= ecosystem_summary.rebuild()
    return rows


def chain_tables_rebuild() -> dict:
    """Only the chain tables recounted (from the leads of enterprises on a chain) and
    replaced, under their locks: a world built before they existed gets them without a
    recount of every lead. Returns the rows written."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE financing_chainleadsummary, financing_chainleadduration")
        ChainLeadSummary.objects.all().delete()
        ChainLeadDuration.objects.all().delete()
        _summary, _durations, chain_summary, chain_durations = recount_all(chains_only=True)
        _tables_write(chain_summary, chain_durations, chain=True)
        rollup_rows = rollup_rebuild()  # its chains' rows sum the chain histograms
    return {
        "chain_summary_rows": len(chain_summary),
        "chain_duration_rows": len(chain_durations),
        "duration_rollup_rows": rollup_rows,
    }


def _tables_write(summary: dict, durations: dict, *, chain: bool) -> None:
    """Write recounted rows: the plain tables, or with ``chain`` the chain tables (their
    keys lead with the chain)."""
    model, histogram = (
        (ChainLeadSummary, ChainLeadDuration) if chain else (LeadSummary, LeadDuration)
    )
    key_names = CHAIN_KEY if chain else KEY
    dims = ("chain_id", *DURATION_DIMS) if chain else DURATION_DIMS
    model.objects.bulk_create(
        (
            model(**dict(zip(key_names, key, strict=True)), **counts)
            for key, counts in summary.items()
        ),
        batch_size=5000,
    )
    histogram.objects.bulk_create(
        (
            histogram(kind=kind, value=value, leads=n, **dict(zip(dims, rest, strict=True)))
            for (kind, *rest, value), n in durations.items()
        ),
        batch_size=5000,
    )
