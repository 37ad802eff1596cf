"""Summary tables of the leads: what the bank, zone and platform dashboards read instead
of every lead. Maintained by ``financing.summary`` in the transaction of every lead move,
rebuilt from scratch by ``manage.py rebuild_summaries``; a nightly check compares them
with a recount (``docs/summary-tables.md``)."""

from django.db import models


def _dimension(model: str):
    # No database constraint: the summary never blocks deleting a bank, branch or zone
    # (the recount drops the rows), and its upserts take no lock on those rows.
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )


class _LeadFigures(models.Model):
    """The key and counts of a lead summary row (``LeadSummary``, ``ChainLeadSummary``)."""

    bank = _dimension("financing.Bank")
    branch = _dimension("financing.Branch")
    product = _dimension("financing.Product")
    zone = _dimension("zones.Zone")
    status = models.CharField(max_length=16)
    reached = models.PositiveSmallIntegerField()
    leads = models.IntegerField(default=0)
    contacted = models.IntegerField(default=0)
    decided = models.IntegerField(default=0)
    #: Leads with a first-contact due time: answered (and of those, on time), unanswered.
    answered_due = models.IntegerField(default=0)
    answered_on_time = models.IntegerField(default=0)
    unanswered_due = models.IntegerField(default=0)
    #: Leads with a decision due time: decided (and of those, on time), undecided.
    decided_due = models.IntegerField(default=0)
    decided_on_time = models.IntegerField(default=0)
    undecided_due = models.IntegerField(default=0)
    offered_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    accepted_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    disbursed_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        abstract = True


class LeadSummary(_LeadFigures):
    """The leads of one (bank, branch, product, zone of the enterprise, status, furthest
    stage reached): how many, how many answered and decided and against their due
    times, and the money offered, accepted and disbursed."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "branch", "product", "zone", "status", "reached"],
                name="lead_summary_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bank_id}/{self.branch_id}/{self.product_id}/{self.zone_id} {self.status}"


class _DurationFigures(models.Model):
    """The key and count of a duration histogram row (``LeadDuration``,
    ``ChainLeadDuration``)."""

    class Kind(models.IntegerChoices):
        CONTACT_HOURS = 1
        DECISION_HOURS = 2
        RESPONSE_SECONDS = 3

    bank = _dimension("financing.Bank")
    branch = _dimension("financing.Branch")
    product = _dimension("financing.Product")
    zone = _dimension("zones.Zone")
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    value = models.DecimalField(max_digits=20, decimal_places=6)
    leads = models.IntegerField(default=0)

    class Meta:
        abstract = True


class LeadDuration(_DurationFigures):
    """How many leads of one (bank, branch, product, zone) took ``value``: working hours
    to first contact or to decision, or calendar seconds to first contact. A histogram,
    exact, so medians and percentiles come out as the lead-by-lead computation's."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "bank", "branch", "product", "zone", "value"],
                name="lead_duration_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}: {self.leads}"


class EnterpriseFinancing(models.Model):
    """How far one enterprise got in financing: whether it has a match, and how many of
    its leads there are, with an offer, with a disbursement. Kept with ``LeadSummary`` (the
    leads' counts) and by every rematch (``matched``); an enterprise is counted in its
    zone's :class:`ZoneFinancing` for each figure above zero (``financing.funnel``)."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="financing",  # joined by the ecosystem page's funnel (insights)
    )
    zone = _dimension("zones.Zone")
    matched = models.BooleanField(default=False)
    leads = models.IntegerField(default=0)
    offered = models.IntegerField(default=0)
    disbursed = models.IntegerField(default=0)
    #: Yuan of its leads' offers made or accepted (``OFFERED_STATUSES``), and disbursed.
    offered_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0, db_default=0)
    disbursed_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0, db_default=0)

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.matched} {self.leads}/{self.offered}/{self.disbursed}"


class ZoneFinancing(models.Model):
    """The enterprises of one zone that were matched, asked (a lead), got an offer, were
    financed: the enterprise funnel without a distinct count over matches or leads."""

    zone = models.OneToOneField(
        "zones.Zone", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    matched = models.IntegerField(default=0)
    leads = models.IntegerField(default=0)
    offered = models.IntegerField(default=0)
    disbursed = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.zone_id}: {self.matched}/{self.leads}/{self.offered}/{self.disbursed}"


class ProductMatchTotal(models.Model):
    """The matches of one product: how many, and the sum of their indicative limits (the
    exposure a bank's matches page shows), so the page sums a row per product instead of
    every match (1.5 million nationally). Moved by every write of matches
    (``financing.match_totals``)."""

    #: No database constraint: an upsert takes no lock on the product. Deleting a product
    #: (which deletes its matches) deletes its row.
    product = models.OneToOneField(
        "financing.Product",
        on_delete=models.CASCADE,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    matches = models.BigIntegerField(default=0)
    exposure = models.DecimalField(max_digits=30, decimal_places=2, default=0)

    def __str__(self) -> str:
        return f"{self.product_id}: {self.matches} / {self.exposure}"


class ChainLeadSummary(_LeadFigures):
    """:class:`LeadSummary` per industrial chain: the leads of the enterprises placed on
    any node of ``chain`` (an enterprise on two chains counts in both; on several nodes
    of one chain, once). Kept with the lead summary in every lead move and moved by every
    change of an enterprise's placements (``financing.summary``)."""

    chain = _dimension("chains.Chain")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "bank", "branch", "product", "zone", "status", "reached"],
                name="chain_lead_summary_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.chain_id}: {self.bank_id}/{self.branch_id}/{self.zone_id} {self.status}"


class ChainLeadDuration(_DurationFigures):
    """:class:`LeadDuration` per industrial chain (as :class:`ChainLeadSummary`)."""

    chain = _dimension("chains.Chain")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "chain", "bank", "branch", "product", "zone", "value"],
                name="chain_lead_duration_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.chain_id} {self.get_kind_display()} {self.value}: {self.leads}"


class LeadDurationRollup(models.Model):
    """:class:`LeadDuration` and :class:`ChainLeadDuration` summed per breakdown of the
    dashboards, so a breakdown reads its own histogram instead of grouping the whole
    (bank, branch, product, zone) one: how many leads of one group took ``value``, the
    group being every lead (``OVERALL``), a product, a branch, a zone or a chain, over
    every bank (``within_bank`` 0) or within one bank. The by-bank breakdown reads the
    ``OVERALL`` rows within each bank. Working hours (contact, decision) are kept for
    every dimension, response seconds for ``OVERALL`` only (the one figure that reads
    them). Kept with the histograms in every lead move (``financing.summary``), equal to
    the histograms summed (``financing.summary_rollup``)."""

    class Dimension(models.IntegerChoices):
        OVERALL = 1
        PRODUCT = 2
        BRANCH = 3
        ZONE = 4
        CHAIN = 5

    dimension = models.PositiveSmallIntegerField(choices=Dimension.choices)
    #: The bank the group's leads are of; 0: every bank.
    within_bank = models.IntegerField()
    #: The product, branch, zone or chain id; 0 for ``OVERALL``.
    group_key = models.IntegerField()
    kind = models.PositiveSmallIntegerField(choices=_DurationFigures.Kind.choices)
    value = models.DecimalField(max_digits=20, decimal_places=6)
    leads = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # Also the reads' order: one dimension within one bank (or every bank), by
            # group, kind and value, with no sort and (with the count) no heap visit.
            models.UniqueConstraint(
                fields=["dimension", "within_bank", "group_key", "kind", "value"],
                include=["leads"],
                name="lead_duration_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.within_bank}/{self.group_key} {self.value}"
