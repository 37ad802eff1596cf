"""The chain view's figures kept as rows (``financing.coverage_summary``): per (chain
node, zone) how many enterprises sit on or under the node, and how many of them are
verified, matched, leads and the yuan disbursed to them, counting every bank (``bank``
empty) and, for a bank's staff, that bank's matches, leads and money alone; the whole
chain's rows have no node. ``ChainCoverageMember`` remembers what each placed enterprise
added."""

from django.db import models


def _unconstrained(model: str, **kwargs):
    # No database constraint: a counter never blocks deleting what it counts (the rebuild
    # drops the rows), and its upserts take no lock on those rows.
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", **kwargs
    )


class ChainCoverage(models.Model):
    """The enterprises of one zone on or under one node of a chain (on any node of the
    chain when ``node`` is empty), each counted once, and how far financing reached them:
    every bank's matches, leads and money when ``bank`` is empty; else only ``bank``'s
    (``matched``, ``leads``, ``financed``; the enterprises and verified counts are the
    every-bank row's)."""

    chain = _unconstrained("chains.Chain")
    node = _unconstrained("chains.ChainNode", null=True)
    zone = _unconstrained("zones.Zone")
    bank = _unconstrained("financing.Bank", null=True)
    enterprises = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    matched = models.IntegerField(default=0)
    leads = models.IntegerField(default=0)
    financed = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    #: Every bank's row only: enterprises with an offer, with a disbursement, and the yuan
    #: of offers made or accepted (the ecosystem page's chain table).
    offers = models.IntegerField(default=0, db_default=0)
    disbursed = models.IntegerField(default=0, db_default=0)
    offered = models.DecimalField(max_digits=20, decimal_places=2, default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "node", "zone", "bank"],
                nulls_distinct=False,
                name="chain_coverage_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.chain_id}/{self.node_id}/{self.zone_id}/{self.bank_id}: {self.enterprises}"


class ChainCoverageMember(models.Model):
    """What one enterprise on a chain node last added to :class:`ChainCoverage`: its zone,
    its flags, its money and the nodes covering its placements (the nodes themselves and
    their ancestors, sorted ids); per bank it has a match, a lead or money with,
    ``[bank id, matched, lead, "financed"]`` in bank order."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    zone = _unconstrained("zones.Zone")
    verified = models.BooleanField(default=False)
    matched = models.BooleanField(default=False)
    lead = models.BooleanField(default=False)
    financed = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    offer = models.BooleanField(default=False, db_default=False)
    disbursed = models.BooleanField(default=False, db_default=False)
    offered = models.DecimalField(max_digits=20, decimal_places=2, default=0, db_default=0)
    nodes = models.JSONField(default=list)
    banks = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.nodes}"


class EcosystemCell(models.Model):
    """The ecosystem page's funnel for the enterprises of one zone whose stored lifecycle
    stage (``EnterpriseSummary.stage``; none: a start-up) is ``stage``: how many there
    are and how many are verified, matched, have a lead, an offer, a disbursement, and
    the yuan offered (made or accepted) and disbursed to them
    (``financing.ecosystem_summary``)."""

    zone = _unconstrained("zones.Zone")
    stage = models.CharField(max_length=16)
    registered = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    matched = models.IntegerField(default=0)
    lead = models.IntegerField(default=0)
    offer = models.IntegerField(default=0)
    disbursed = models.IntegerField(default=0)
    offered = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    financed = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["zone", "stage"], name="ecosystem_cell_key")]

    def __str__(self) -> str:
        return f"{self.zone_id}/{self.stage}: {self.registered}"


class EcosystemMember(models.Model):
    """What one enterprise last added to :class:`EcosystemCell`: its zone, stored stage
    and the day that stage ends (``stage_until``: the page moves it to its stage on the
    day it reads, until the nightly move syncs it), its flags and its yuan."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    zone = _unconstrained("zones.Zone")
    stage = models.CharField(max_length=16)
    stage_until = models.DateField(null=True)
    verified = models.BooleanField(default=False)
    matched = models.BooleanField(default=False)
    lead = models.BooleanField(default=False)
    offer = models.BooleanField(default=False)
    disbursed = models.BooleanField(default=False)
    offered = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    financed = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["stage_until"],
                condition=models.Q(stage_until__isnull=False),
                name="ecosystem_member_stage_until",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.zone_id}/{self.stage}"
