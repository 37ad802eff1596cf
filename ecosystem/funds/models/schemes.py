"""Policy fund schemes (a risk-compensation pool or an interest subsidy), their versioned
terms, the banks that accepted them, the products that lend under them, and the filings
of loans into a pool."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.funds.workflow import FILING_HOLDS_HEADROOM, FilingStatus


def _money(label, **kwargs):
    return models.DecimalField(label, max_digits=15, decimal_places=2, **kwargs)


class Scheme(models.Model):
    """A fund, owned by a zone or by a city-level body; its terms are its versions."""

    class Kind(models.TextChoices):
        RISK_POOL = "risk_pool", _("risk-compensation pool")
        INTEREST_SUBSIDY = "interest_subsidy", _("interest subsidy")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    owner_zone = models.ForeignKey(
        "zones.Zone",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_schemes",
        verbose_name=_("owning zone"),
    )
    owner_body = models.CharField(
        _("owning body"),
        max_length=120,
        blank=True,
        help_text=_("A city-level body, when no zone owns the scheme."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("policy fund scheme")
        verbose_name_plural = _("policy fund schemes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:scheme_detail", args=[self.pk])

    @property
    def owner(self) -> str:
        return str(self.owner_zone) if self.owner_zone_id else self.owner_body


class SchemeVersion(models.Model):
    """A scheme's terms, frozen: changing them makes a new version effective from a date.

    ``leverage_cap``: the largest filed balance as a multiple of the fund.
    ``compensation_share``: the pool's share of a non-performing balance (0.5 = 50 %).
    ``cumulative_cap``: the most one cooperating bank may receive in compensation, net of
    refunds, over the scheme's life. ``subsidy_rate``: the share of the interest paid that
    the subsidy returns (0.3 = 30 %)."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="versions", verbose_name=_("scheme")
    )
    number = models.PositiveIntegerField(_("version"))
    fund_size = _money(_("fund (yuan)"))
    leverage_cap = models.DecimalField(
        _("leverage cap (filed balance ÷ fund)"), max_digits=6, decimal_places=2, default=10
    )
    compensation_share = models.DecimalField(
        _("compensation share"), max_digits=5, decimal_places=4, default=0
    )
    cumulative_cap = _money(_("cumulative compensation cap per bank (yuan)"), default=0)
    per_firm_annual_cap = _money(_("loans per firm and year, at most (yuan)"), default=0)
    max_term_months = models.PositiveSmallIntegerField(_("longest term (months)"), default=36)
    subsidy_rate = models.DecimalField(
        _("subsidy share of interest paid"), max_digits=5, decimal_places=4, default=0
    )
    per_firm_annual_subsidy_cap = _money(_("subsidy per firm and year, at most (yuan)"), default=0)
    programs = models.ManyToManyField(
        "registries.Program", blank=True, related_name="+", verbose_name=_("eligible programs")
    )
    zones = models.ManyToManyField(
        "zones.Zone", blank=True, related_name="+", verbose_name=_("eligible zones")
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_unique"),
            models.CheckConstraint(
                condition=models.Q(compensation_share__gte=0, compensation_share__lte=1),
                name="scheme_share_is_a_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(subsidy_rate__gte=0, subsidy_rate__lte=1),
                name="scheme_subsidy_rate_is_a_fraction",
            ),
        ]
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")

    def __str__(self) -> str:
        return f"{self.scheme} v{self.number}"


class CooperatingBank(models.Model):
    """A bank that joined a scheme: its manager accepted the terms of a version."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="banks", verbose_name=_("scheme")
    )
    bank = models.ForeignKey(
        "financing.Bank",
        on_delete=models.PROTECT,
        related_name="fund_schemes",
        verbose_name=_("bank"),
    )
    version = models.ForeignKey(
        SchemeVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("terms accepted"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "bank"], name="cooperating_bank_unique")
        ]
        verbose_name = _("cooperating bank")
        verbose_name_plural = _("cooperating banks")

    def __str__(self) -> str:
        return f"{self.bank} · {self.scheme}"


class SchemeProduct(models.Model):
    """A bank product declared as lending under a scheme (kept here, not on the product,
    so financing does not know about funds)."""

    product = models.OneToOneField(
        "financing.Product",
        on_delete=models.CASCADE,
        related_name="fund_scheme",
        verbose_name=_("product"),
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="products", verbose_name=_("scheme")
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product under a scheme")
        verbose_name_plural = _("products under schemes")

    def __str__(self) -> str:
        return f"{self.product} · {self.scheme}"


class Filing(models.Model):
    """A disbursed loan filed into a risk pool by its bank, confirmed by a fund manager.

    ``eligibility`` keeps what was checked at the disbursement date: each qualification
    with its provenance (the claim, the registry entry that verified it, who decided)."""

    Status = FilingStatus

    loan = models.ForeignKey(
        "funds.Loan", on_delete=models.PROTECT, related_name="filings", verbose_name=_("loan")
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="filings", verbose_name=_("scheme")
    )
    version = models.ForeignKey(
        SchemeVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("terms")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FilingStatus.choices, default=FilingStatus.FILED
    )
    amount = _money(_("principal filed (yuan)"))
    eligibility = models.JSONField(_("eligibility at disbursement"), default=dict, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    review_due_at = models.DateTimeField(_("confirmation due"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan"],
                condition=models.Q(status__in=[*FILING_HOLDS_HEADROOM, FilingStatus.CLOSED]),
                name="filing_one_per_loan",
            )
        ]
        indexes = [models.Index(fields=["scheme", "status"])]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")

    def __str__(self) -> str:
        return f"{self.loan} · {self.scheme}"

    def get_absolute_url(self) -> str:
        return reverse("funds:filing_detail", args=[self.pk])
