"""The lead summary tables (``models.summary``), kept equal to a recount.

Every change of a lead that a dashboard counts goes through the lead services, which lock
the lead (``services.leads.common.lock_lead`` or the expiry jobs' own lock): the lock
takes a *snapshot* of the lead's facts, and the move ends with :func:`summary_sync`,
which takes the facts again and adds the difference to the summary rows, in the same
transaction. A lead created by ``lead_open_or_create`` is synced from nothing.

The facts of a lead: its key (bank, branch, product, the enterprise's zone, status,
furthest stage reached), its clocks against their due times, the money offered, accepted
and disbursed, and its durations (working hours to first contact and to decision, from
the lead's stored ``contact_hours`` / ``decision_hours``; calendar seconds to first
contact). Rows built in bulk (``bench.world`` by COPY) are summarised by
``summary_recount.summaries_rebuild``; ``summary_recount.summaries_drift`` compares the
tables with a recount.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connection, transaction

from ecosystem.core.db import add_rows
from ecosystem.core.worktime import working_hours_between
from ecosystem.financing.funnel import enterprise_apply, enterprise_zone_moved, lead_counts
from ecosystem.financing.models import (
    OFFERED_STATUSES,
    ChainLeadDuration,
    ChainLeadSummary,
    Disbursement,
    Lead,
    LeadDuration,
    LeadSummary,
    Offer,
)
from ecosystem.financing.summary_rollup import rollup_apply, rollup_changes

S = Lead.Status
#: The main path, in order (``insights.bank.PATH``): ``Lead.reached`` is an index here.
PATH: tuple[str, ...] = (
    S.NEW,
    S.ASSIGNED,
    S.CONTACTED,
    S.OFFER_MADE,
    S.ACCEPTED,
    S.DISBURSED,
)
KEY = ("bank_id", "branch_id", "product_id", "zone_id", "status", "reached")
CHAIN_KEY = ("chain_id", *KEY)
DURATION_DIMS = ("bank_id", "branch_id", "product_id", "zone_id")
COUNTS = (
    "leads",
    "contacted",
    "decided",
    "answered_due",
    "answered_on_time",
    "unanswered_due",
    "decided_due",
    "decided_on_time",
    "undecided_due",
    "offered_amount",
    "accepted_amount",
    "disbursed_amount",
)
K = LeadDuration.Kind
MICRO = Decimal("0.000001")
SNAPSHOT = "_summary_snapshot"


@dataclass(frozen=True)
class Facts:
    key: tuple
    counts: dict = field(hash=False)
    durations: tuple = ()  # ((kind, value), ...)
    #: (enterprise id, its counts from this lead: ``funnel.lead_counts``)
    enterprise: tuple = (None, (0, 0, 0, 0, 0))
    #: The chains the enterprise sits on (sorted ids): the lead counts in each one's rows
    #: of ``ChainLeadSummary`` / ``ChainLeadDuration``.
    chains: tuple = ()


def reached_index(status: str, reached: int = 0) -> int:
    """``reached`` raised to ``status`` when it is on the main path."""
    return max(reached, PATH.index(status)) if status in PATH else reached


def response_seconds(lead) -> Decimal:
    """Calendar seconds from creation to the first contact, exact to the microsecond."""
    delta = lead.first_contact_at - lead.created_at
    micro = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return (Decimal(micro) / 1_000_000).quantize(MICRO)


def set_durations(lead) -> list[str]:
    """Fill ``contact_hours`` / ``decision_hours`` from the stopped clocks; the fields
    set (a service saves them with the clock)."""
    fields = []
    if lead.first_contact_at is not None and lead.contact_hours is None:
        lead.contact_hours = working_hours_between(lead.created_at, lead.first_contact_at)
        fields.append("contact_hours")
    if lead.decided_at is not None and lead.decision_hours is None:
        lead.decision_hours = working_hours_between(lead.created_at, lead.decided_at)
        fields.append("decision_hours")
    return fields


def chains_of(enterprise_id: int) -> tuple[int, ...]:
    """The chains ``enterprise_id`` sits on, sorted."""
    from ecosystem.chains.models import EnterpriseNode

    placed = EnterpriseNode.objects.filter(enterprise_id=enterprise_id).order_by()
    return tuple(sorted(set(placed.values_list("node__chain_id", flat=True))))


def facts_of(lead, *, zone_id: int | None = None, chains: tuple | None = None) -> Facts:
    """The facts of ``lead`` as its row and its offers and disbursement stand now (and
    the enterprise's chains, read unless given); its zone is the one the lead keeps
    (``Lead.zone``, its firm's) unless given."""
    if zone_id is None:
        zone_id = lead.zone_id
    if chains is None:
        chains = chains_of(lead.enterprise_id)
    money = list(Offer.objects.filter(lead_id=lead.pk).values_list("amount", "status"))
    lead.offered = sum((amount for amount, _s in money), Decimal("0"))
    lead.accepted = sum(
        (amount for amount, status in money if status == Offer.Status.ACCEPTED), Decimal("0")
    )
    lead.standing = sum(
        (amount for amount, status in money if status in OFFERED_STATUSES), Decimal("0")
    )
    amounts = Disbursement.objects.filter(lead_id=lead.pk).values_list("amount", flat=True)
    lead.disbursed = sum(amounts, Decimal("0"))
    lead.offer_count, lead.disbursement_count = len(money), len(amounts)
    return _facts(lead, zone_id, chains)


def _facts(lead, zone_id: int, chains: tuple = ()) -> Facts:
    """The facts of a lead row carrying its ``offered``, ``accepted``, ``standing``
    (offers made or accepted) and ``disbursed`` sums."""
    contacted, decided = lead.first_contact_at is not None, lead.decided_at is not None
    has_due, has_decision_due = lead.due_at is not None, lead.decision_due_at is not None
    counts = {
        "leads": 1,
        "contacted": int(contacted),
        "decided": int(decided),
        "answered_due": int(has_due and contacted),
        "answered_on_time": int(has_due and contacted and lead.first_contact_at <= lead.due_at),
        "unanswered_due": int(has_due and not contacted),
        "decided_due": int(has_decision_due and decided),
        "decided_on_time": int(
            has_decision_due and decided and lead.decided_at <= lead.decision_due_at
        ),
        "undecided_due": int(has_decision_due and not decided),
        "offered_amount": lead.offered,
        "accepted_amount": lead.accepted,
        "disbursed_amount": lead.disbursed,
    }
    durations = []
    if contacted:
        durations.append((K.CONTACT_HOURS, Decimal(lead.contact_hours).quantize(MICRO)))
        durations.append((K.RESPONSE_SECONDS, response_seconds(lead)))
    if decided:
        durations.append((K.DECISION_HOURS, Decimal(lead.decision_hours).quantize(MICRO)))
    key = (lead.bank_id, lead.branch_id, lead.product_id, zone_id, lead.status, lead.reached)
    mine = lead_counts(
        offers=lead.offer_count,
        disbursements=lead.disbursement_count,
        offered=lead.standing,
        disbursed=lead.disbursed,
    )
    return Facts(key, counts, tuple(durations), (lead.enterprise_id, mine), tuple(chains))


def summary_snapshot(lead) -> None:
    """Remember the facts of a freshly locked lead, for :func:`summary_sync`."""
    setattr(lead, SNAPSHOT, facts_of(lead))


def summary_sync(lead, *, created: bool = False) -> None:
    """Add the change of ``lead``'s facts since its snapshot (since nothing, for a lead
    just ``created``) to the summary tables. A lead changed without a snapshot is a bug
    in the service, not something to guess around."""
    if created:
        before = None
    else:
        if not hasattr(lead, SNAPSHOT):
            raise RuntimeError("summary_sync on a lead locked without summary_snapshot")
        before = getattr(lead, SNAPSHOT)
    # The chains as the snapshot read them: a placement change locks the enterprise's
    # leads (:func:`summary_chains_moved`), so none lands during a lead's move.
    after = facts_of(lead, chains=before.chains if before is not None else None)
    summary_apply(before, after)
    setattr(lead, SNAPSHOT, after)


def summary_apply(before: Facts | None, after: Facts | None) -> None:
    """Subtract ``before`` and add ``after`` (either may be None), in key order."""
    rows: dict[tuple, dict] = {}
    for facts, sign in ((before, -1), (after, 1)):
        if facts is None:
            continue
        row = rows.setdefault(facts.key, dict.fromkeys(COUNTS, 0))
        for name in COUNTS:
            row[name] += sign * facts.counts[name]
    durations: Counter = Counter()
    chain_rows: dict[tuple, dict] = {}
    chain_durations: Counter = Counter()
    enterprises: dict = {}
    for facts, sign in ((before, -1), (after, 1)):
        if facts is not None:
            for kind, value in facts.durations:
                durations[(kind, *facts.key[:4], value)] += sign
            for chain_id in facts.chains:
                row = chain_rows.setdefault((chain_id, *facts.key), dict.fromkeys(COUNTS, 0))
                for name in COUNTS:
                    row[name] += sign * facts.counts[name]
                for kind, value in facts.durations:
                    chain_durations[(kind, chain_id, *facts.key[:4], value)] += sign
            enterprise_id, mine = facts.enterprise
            _zone, change = enterprises.setdefault(
                enterprise_id, (facts.key[3], [0, 0, 0, Decimal(0), Decimal(0)])
            )
            for i, n in enumerate(mine):
                change[i] += sign * n
    with transaction.atomic(), connection.cursor() as cursor:
        for table, names, changed in (
            (LeadSummary, KEY, rows),
            (LeadDuration, ("kind", *DURATION_DIMS, "value"), durations),
            (ChainLeadSummary, CHAIN_KEY, chain_rows),
            (ChainLeadDuration, ("kind", "chain_id", *DURATION_DIMS, "value"), chain_durations),
        ):
            add_rows(cursor, table._meta.db_table, names, *_counted(changed))
        # The histograms summed per breakdown (``summary_rollup``), after them.
        rollup_apply(cursor, rollup_changes(durations, chain_durations))
        enterprise_apply(enterprises)  # after the lead rows: one lock order everywhere


def _counted(changes: dict) -> tuple[tuple, list]:
    """``changes`` (key → ``COUNTS`` dict, or key → a duration's lead count) as
    ``add_rows``' columns and rows, in key order, rows that change nothing left out."""
    if changes and isinstance(next(iter(changes.values())), dict):
        return COUNTS, [
            (key, tuple(changes[key][c] for c in COUNTS))
            for key in sorted(changes, key=repr)
            if any(changes[key].values())
        ]
    return ("leads",), [(key, (n,)) for key, n in sorted(changes.items(), key=repr) if n]


def summary_zone_moved(*, enterprise_id: int, old_zone_id: int, new_zone_id: int) -> None:
    """The enterprise moved zone: its leads move with it, their kept zone
    (``Lead.zone``) and their figures (in the move's transaction, the leads locked;
    ``core.events.ENTERPRISE_ZONE_MOVED``). ``updated_at`` stays: the lead itself did not
    change, and the leads feed shows no zone."""
    leads = Lead.objects.select_for_update(of=("self",)).filter(enterprise_id=enterprise_id)
    chains = chains_of(enterprise_id)
    for lead in leads.order_by("pk"):
        summary_apply(
            facts_of(lead, zone_id=old_zone_id, chains=chains),
            facts_of(lead, zone_id=new_zone_id, chains=chains),
        )
    Lead.objects.filter(enterprise_id=enterprise_id).update(zone_id=new_zone_id)
    enterprise_zone_moved(
        enterprise_id=enterprise_id, old_zone_id=old_zone_id, new_zone_id=new_zone_id
    )


def summary_placed(*, enterprise_id: int, old_node_ids, new_node_ids) -> None:
    """``core.events.ENTERPRISE_PLACED``: :func:`summary_chains_moved` by the nodes'
    chains."""
    from ecosystem.chains.models import ChainNode

    chain_of = dict(
        ChainNode.objects.filter(pk__in=[*old_node_ids, *new_node_ids]).values_list(
            "pk", "chain_id"
        )
    )
    summary_chains_moved(
        enterprise_id=enterprise_id,
        old_chain_ids=[chain_of[pk] for pk in old_node_ids],
        new_chain_ids=[chain_of[pk] for pk in new_node_ids],
    )


def summary_chains_moved(*, enterprise_id: int, old_chain_ids, new_chain_ids) -> None:
    """The enterprise's placements changed from chains ``old_chain_ids`` to
    ``new_chain_ids``: its leads' figures leave the chains it left and join those it
    joined (in the placement's transaction; ``core.events.ENTERPRISE_PLACED``). The leads
    are locked, so no lead move lands between the chains read and the figures moved."""
    old, new = tuple(sorted(set(old_chain_ids))), tuple(sorted(set(new_chain_ids)))
    if old == new:
        return
    leads = Lead.objects.select_for_update(of=("self",)).filter(enterprise_id=enterprise_id)
    for lead in leads.select_related("enterprise").order_by("pk"):
        facts = facts_of(lead, chains=old)
        summary_apply(facts, replace(facts, chains=new))
