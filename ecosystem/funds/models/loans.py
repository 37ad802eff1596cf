"""The loan book: a disbursed lead's loan, the bank's status reports on it (the history)
and its repayment and interest-paid events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.funds.workflow import Classification, is_non_performing


class Source(models.TextChoices):
    PAGE = "page", _("lead page")
    UPLOAD = "upload", _("file upload")
    API = "api", _("API")


def _money(label):
    return models.DecimalField(label, max_digits=15, decimal_places=2)


class Loan(models.Model):
    """The loan a disbursement opened, keyed by the bank's own loan reference.

    Its current state (outstanding principal, next due date, days past due, classification)
    is the latest report's; every report is kept in ``LoanReport``."""

    Classification = Classification

    bank = models.ForeignKey(
        "financing.Bank", on_delete=models.PROTECT, related_name="loans", verbose_name=_("bank")
    )
    lead = models.OneToOneField(
        "financing.Lead", on_delete=models.PROTECT, related_name="loan", verbose_name=_("lead")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="loans",
        verbose_name=_("enterprise"),
    )
    reference = models.CharField(_("bank's loan reference"), max_length=64)
    principal = _money(_("principal disbursed (yuan)"))
    disbursed_on = models.DateField(_("disbursed on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    outstanding_principal = _money(_("outstanding principal (yuan)"))
    next_due_date = models.DateField(_("next due date"), null=True, blank=True)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    classification = models.CharField(
        _("classification"),
        max_length=16,
        choices=Classification.choices,
        default=Classification.NORMAL,
    )
    reported_on = models.DateField(_("status as of"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-disbursed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "reference"], name="loan_unique_reference"),
            models.CheckConstraint(
                condition=models.Q(outstanding_principal__gte=0),
                name="loan_outstanding_not_negative",
            ),
        ]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")

    def __str__(self) -> str:
        return f"{self.reference} · {self.enterprise}"

    @property
    def is_non_performing(self) -> bool:
        return is_non_performing(self.classification, self.days_past_due)


class LoanReport(models.Model):
    """One status report of a loan, as the bank sent it: the loan's history."""

    Source = Source

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="reports", verbose_name=_("loan")
    )
    as_of = models.DateField(_("status as of"))
    outstanding_principal = _money(_("outstanding principal (yuan)"))
    next_due_date = models.DateField(_("next due date"), null=True, blank=True)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["loan", "as_of", "id"]
        indexes = [models.Index(fields=["loan", "as_of"])]
        verbose_name = _("loan status report")
        verbose_name_plural = _("loan status reports")

    def __str__(self) -> str:
        return f"{self.loan} · {self.as_of}"


class LoanEvent(models.Model):
    """Money the firm paid on the loan: principal repaid or interest paid. The bank's own
    reference makes a re-sent event a no-op."""

    class Kind(models.TextChoices):
        REPAYMENT = "repayment", _("principal repaid")
        INTEREST = "interest", _("interest paid")

    Source = Source

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="events", verbose_name=_("loan")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = _money(_("amount (yuan)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("bank's payment reference"), max_length=64)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["loan", "paid_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "kind", "reference"], name="loan_event_unique_reference"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="loan_event_positive"),
        ]
        verbose_name = _("loan payment")
        verbose_name_plural = _("loan payments")

    def __str__(self) -> str:
        return f"{self.loan} · {self.get_kind_display()} · {self.paid_on}"
