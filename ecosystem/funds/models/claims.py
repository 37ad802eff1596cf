"""Compensation claims on non-performing filed loans, later recoveries that refund the
pool's share, and interest-subsidy applications."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.funds.workflow import ClaimStatus, SubsidyStatus


def _money(label, **kwargs):
    return models.DecimalField(label, max_digits=15, decimal_places=2, **kwargs)


def _person(label, related="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related,
        verbose_name=label,
    )


class CompensationClaim(models.Model):
    """The bank asks the pool for its share of a non-performing filed loan.

    ``requested``: share × principal, as filed. ``amount``: what was approved, within the
    bank's cumulative cap and the fund's remaining money at approval; it is committed from
    the fund from then on."""

    Status = ClaimStatus

    filing = models.ForeignKey(
        "funds.Filing", on_delete=models.PROTECT, related_name="claims", verbose_name=_("filing")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    principal = _money(_("outstanding principal claimed on (yuan)"))
    share = models.DecimalField(_("compensation share"), max_digits=5, decimal_places=4)
    requested = _money(_("compensation requested (yuan)"))
    amount = _money(_("compensation approved (yuan)"), null=True, blank=True)
    recovery_actions = models.TextField(_("recovery actions taken"))
    submitted_by = _person(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    review_due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    reviewed_by = _person(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = _person(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_by = _person(_("payment recorded by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing"],
                condition=~models.Q(status=ClaimStatus.REFUSED),
                name="claim_one_live_per_filing",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="claim_amount_not_negative",
            ),
        ]
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")

    def __str__(self) -> str:
        return f"{self.filing} · ¥{self.requested:,.2f}"

    def get_absolute_url(self) -> str:
        return reverse("funds:claim_detail", args=[self.pk])


class Recovery(models.Model):
    """Money the bank recovered after compensation; the pool's share of it is refunded."""

    claim = models.ForeignKey(
        CompensationClaim,
        on_delete=models.PROTECT,
        related_name="recoveries",
        verbose_name=_("claim"),
    )
    recovered = _money(_("amount recovered (yuan)"))
    refund = _money(_("refund to the pool (yuan)"))
    reference = models.CharField(_("bank's reference"), max_length=64)
    recorded_by = _person(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "reference"], name="recovery_unique_reference")
        ]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")

    def __str__(self) -> str:
        return f"{self.claim} · ¥{self.refund:,.2f}"


class SubsidyApplication(models.Model):
    """A firm asks for a period's interest subsidy on a loan; the bank confirms the interest
    actually paid, a fund manager approves the amount."""

    Status = SubsidyStatus

    loan = models.ForeignKey(
        "funds.Loan", on_delete=models.PROTECT, related_name="subsidies", verbose_name=_("loan")
    )
    scheme = models.ForeignKey(
        "funds.Scheme", on_delete=models.PROTECT, related_name="subsidies", verbose_name=_("scheme")
    )
    version = models.ForeignKey(
        "funds.SchemeVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("terms")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SubsidyStatus.choices, default=SubsidyStatus.APPLIED
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    interest_paid = _money(_("interest paid (yuan)"), null=True, blank=True)
    amount = _money(_("subsidy (yuan)"), null=True, blank=True)
    applied_by = _person(_("applied by"))
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    confirmed_by = _person(_("interest confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    approved_by = _person(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "scheme", "period_start", "period_end"],
                condition=~models.Q(status=SubsidyStatus.REFUSED),
                name="subsidy_one_live_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="subsidy_period_ordered",
            ),
        ]
        verbose_name = _("interest subsidy application")
        verbose_name_plural = _("interest subsidy applications")

    def __str__(self) -> str:
        return f"{self.loan} · {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("funds:subsidy_detail", args=[self.pk])
