"""The zone dashboards' enterprise figures kept as rows (``enterprises.summary``): each
enterprise's lifecycle stage on the declared basis and whether it holds a verified
qualification, and per zone how many enterprises are in each stage and verified."""

from django.db import models
from django.db.models import Q

from ecosystem.enterprises.lifecycle import LifecycleStage


def _unconstrained(model: str, **kwargs):
    # No database constraint: a summary row never blocks deleting what it counts (the
    # rebuild drops the rows), and its upserts take no lock on those rows.
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", **kwargs
    )


class EnterpriseSummary(models.Model):
    """One enterprise with declared figures or a verified qualification (every other
    enterprise is a start-up without one): its zone, its stage on the day the row was
    written (``stage``; blank without figures: a start-up on any day) and the first day on
    which that stage would change with the date alone (``stage_until``; None: never)."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    zone = _unconstrained("zones.Zone")
    stage = models.CharField(
        max_length=16, blank=True, choices=[(s.value, s.value) for s in LifecycleStage]
    )
    stage_until = models.DateField(null=True)
    verified = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["stage_until"],
                condition=Q(stage_until__isnull=False),
                name="enterprise_summary_stage_until",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.stage} until {self.stage_until}, {self.verified}"


class ZoneSummary(models.Model):
    """How many of a zone's enterprises with figures are in each stage (as their rows
    say) and how many hold a verified qualification."""

    zone = models.OneToOneField(
        "zones.Zone", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    startup = models.IntegerField(default=0)
    growth = models.IntegerField(default=0)
    maturity = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.zone_id}: {self.startup}/{self.growth}/{self.maturity}, {self.verified}"


class _ZoneWaiting(models.Model):
    """A zone's count of one kind of work awaiting review, per local day (Asia/Shanghai)
    it has waited since (``enterprises.waiting``): a row per (zone, day). The count's
    column is the subclass's, named by ``COUNT``."""

    COUNT: str

    zone = _unconstrained("zones.Zone")
    day = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.zone_id} {self.day}: {getattr(self, self.COUNT)}"


class _WaitingMember(models.Model):
    """What one enterprise last added to its zone's ``_ZoneWaiting`` rows: its zone and
    count per day (a sync moves the zone rows by the difference)."""

    COUNT: str

    enterprise = _unconstrained("enterprises.Enterprise")
    day = models.DateField()
    zone = _unconstrained("zones.Zone")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.day}: {getattr(self, self.COUNT)} in {self.zone_id}"


class ZoneClaimsWaiting(_ZoneWaiting):
    """Qualification claims of a zone's enterprises awaiting a decision: the zone and
    platform dashboards' review backlog and its ageing."""

    COUNT = "claims"
    claims = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "day"], name="zone_claims_waiting_key")
        ]


class ClaimsWaitingMember(_WaitingMember):
    """One enterprise's waiting claims in ``ZoneClaimsWaiting``."""

    COUNT = "claims"
    claims = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "day"], name="claims_waiting_member_key")
        ]


class ZoneYearsWaiting(_ZoneWaiting):
    """Yearly figures of a zone's enterprises awaiting the zone's verification
    (unverified), per day of their ``updated_at``: the official's review queue counts its
    years from these rows."""

    COUNT = "years"
    years = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "day"], name="zone_years_waiting_key")
        ]


class YearsWaitingMember(_WaitingMember):
    """One enterprise's unverified years in ``ZoneYearsWaiting``."""

    COUNT = "years"
    years = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "day"], name="years_waiting_member_key")
        ]


class ZoneProgramVerified(models.Model):
    """How many of a zone's enterprises hold a verified qualification of one program
    (``enterprises.verified_programs``): the zone dashboard's enterprises by program, a
    row per (zone, program) with any."""

    zone = _unconstrained("zones.Zone")
    program = _unconstrained("registries.Program")
    enterprises = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "program"], name="zone_program_verified_key")
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.program_id}: {self.enterprises}"


class ProgramVerifiedMember(models.Model):
    """One enterprise's verified program as ``ZoneProgramVerified`` last counted it, with
    the zone it was counted in (a sync moves the zone rows by the difference)."""

    enterprise = _unconstrained("enterprises.Enterprise")
    program = _unconstrained("registries.Program")
    zone = _unconstrained("zones.Zone")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "program"], name="program_verified_member_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.program_id} in {self.zone_id}"
