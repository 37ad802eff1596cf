"""Yearly figures with intellectual property counts, and financing needs."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Ten trillion yuan: anything above is a typo, not a small enterprise.
MAX_AMOUNT = Decimal("9999999999999.99")
MAX_HEADCOUNT = 1_000_000
MAX_IP_COUNT = 100_000


def money(verbose_name, *, signed: bool = False, **kwargs):
    validators = [MaxValueValidator(MAX_AMOUNT)]
    validators.append(MinValueValidator(-MAX_AMOUNT if signed else Decimal("0")))
    return models.DecimalField(
        verbose_name, max_digits=15, decimal_places=2, validators=validators, **kwargs
    )


def count(verbose_name, limit=MAX_IP_COUNT):
    return models.PositiveIntegerField(
        verbose_name, default=0, validators=[MaxValueValidator(limit)]
    )


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("not verified")
    VERIFIED = "verified", _("verified")
    DISCREPANCY = "discrepancy", _("discrepancy flagged")


class FinancialYear(models.Model):
    """One fiscal year of an enterprise: amounts in yuan (Decimal), headcounts and IP."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="financial_years",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1980), MaxValueValidator(2100)]
    )
    revenue = money(_("revenue (yuan)"))
    total_costs = money(_("total costs (yuan)"))
    total_assets = money(_("total assets (yuan)"))
    rd_expense = money(_("R&D expense (yuan)"))
    net_profit = money(_("net profit (yuan)"), signed=True)
    employees = count(_("employees"), MAX_HEADCOUNT)
    rd_staff = count(_("S&T (R&D) staff"), MAX_HEADCOUNT)
    ip_invention_patents = count(_("invention patents"))
    ip_ic_layouts = count(_("IC layout designs"))
    ip_plant_varieties = count(_("new plant varieties"))
    ip_new_drugs = count(_("new drugs"))
    ip_utility_models = count(_("utility models"))
    ip_designs = count(_("industrial designs"))
    ip_software_copyrights = count(_("software copyrights"))
    verification_status = models.CharField(
        _("verification"),
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="financial_year_unique"),
            models.CheckConstraint(
                condition=models.Q(rd_expense__lte=models.F("total_costs")),
                name="financial_year_rd_within_costs",
            ),
            models.CheckConstraint(
                condition=models.Q(rd_staff__lte=models.F("employees")),
                name="financial_year_rd_staff_within_employees",
            ),
        ]
        indexes = [
            # The review queue's order (``review.queue``): unverified years by update.
            models.Index(
                fields=["updated_at", "id"],
                name="year_awaiting_queue",
                condition=models.Q(verification_status="unverified"),
            ),
            # A firm's latest verified year and the figures a bank's match export shows
            # of it, from this index alone (session 14).
            models.Index(
                fields=["enterprise", "-year"],
                include=["revenue", "rd_expense", "employees"],
                name="year_verified_latest",
                condition=models.Q(verification_status="verified"),
            ),
            # A zone's unverified years counted from its enterprises' ids, this index
            # alone (the official's queue, ``review.queue``).
            models.Index(
                fields=["enterprise"],
                name="year_awaiting_enterprise",
                condition=models.Q(verification_status="unverified"),
            ),
        ]
        verbose_name = _("financial year")
        verbose_name_plural = _("financial years")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @property
    def class_i_ip(self) -> int:
        return (
            self.ip_invention_patents
            + self.ip_ic_layouts
            + self.ip_plant_varieties
            + self.ip_new_drugs
        )

    @property
    def class_ii_ip(self) -> int:
        return self.ip_utility_models + self.ip_designs + self.ip_software_copyrights

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED


FIGURE_FIELDS = (
    "revenue",
    "total_costs",
    "total_assets",
    "rd_expense",
    "net_profit",
    "employees",
    "rd_staff",
    "ip_invention_patents",
    "ip_ic_layouts",
    "ip_plant_varieties",
    "ip_new_drugs",
    "ip_utility_models",
    "ip_designs",
    "ip_software_copyrights",
)


class FinancingNeed(models.Model):
    class Purpose(models.TextChoices):
        RD = "rd", _("research and development")
        PRODUCTION_LINE = "production_line", _("production line")
        WORKING_CAPITAL = "working_capital", _("working capital")
        INTERNATIONAL = "international", _("international expansion")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Collateral(models.TextChoices):
        NONE = "none", _("no collateral (credit)")
        REAL_ESTATE = "real_estate", _("real estate")
        EQUIPMENT = "equipment", _("machinery and equipment")
        IP_PLEDGE = "ip_pledge", _("intellectual property pledge")
        RECEIVABLES = "receivables", _("receivables")
        GUARANTEE = "guarantee", _("third-party guarantee")
        OTHER = "other", _("other collateral")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="financing_needs",
        verbose_name=_("enterprise"),
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("10000")), MaxValueValidator(MAX_AMOUNT)],
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(1), MaxValueValidator(360)]
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    #: What the enterprise offers as security; the lead made for this need carries it.
    collateral = models.CharField(
        _("collateral offered"), max_length=16, choices=Collateral.choices, default=Collateral.NONE
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("financing need")
        verbose_name_plural = _("financing needs")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.amount} · {self.get_purpose_display()}"
