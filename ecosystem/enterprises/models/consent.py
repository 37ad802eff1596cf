"""Consent for a bank to see an enterprise's data, and the log of every bank view."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Consent(models.Model):
    """Per bank and purpose, with the version of the text agreed to; revocable."""

    class Purpose(models.TextChoices):
        FINANCING = "financing", _("financing assessment and offers")
        PREAPPROVAL = "preapproval", _("pre-approval campaigns")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("enterprise"),
    )
    bank = models.ForeignKey(
        "financing.Bank",
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("bank"),
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    text_version = models.CharField(_("consent text version"), max_length=16)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "bank", "purpose"],
                condition=models.Q(revoked_at__isnull=True),
                name="consent_one_active_per_bank_purpose",
            )
        ]
        # The default order with its tie-break, for whole-table lists (the admin's).
        indexes = [models.Index(fields=["-granted_at", "-id"], name="consent_granted_order")]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.bank} ({self.get_purpose_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


#: What a bank looked at, in the enterprise's words (the access log shows labels, not codes).
ACCESS_SECTIONS = {
    "profile": pgettext_lazy("enterprise", "Profile"),
    "figures": _("Yearly figures"),
    "needs": _("Financing needs"),
    "claims": _("Qualifications"),
    "evidence": _("Evidence file"),
    "self_assessment": _("Self-assessment"),
    "lead": _("Financing request"),
    "leads": _("Lead inbox"),
    "leads-export": _("Lead export"),
    "matches": _("Matched enterprises"),
    "matches-export": _("Matched enterprises export"),
    "api:leads": _("Leads through the bank's system (API)"),
    "api:matches": _("Matches through the bank's system (API)"),
}


class AccessLogEntry(models.Model):
    """A bank user looked at an enterprise's data; the enterprise sees these entries."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="access_log",
        verbose_name=_("enterprise"),
        db_index=False,  # ``access_log_firm_order`` leads with it
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("viewer"),
    )
    bank = models.ForeignKey(
        "financing.Bank", on_delete=models.PROTECT, related_name="+", verbose_name=_("bank")
    )
    section = models.CharField(_("what was viewed"), max_length=32)
    # Not indexed alone: ``access_log_order`` leads with it.
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [
            # A firm's log newest first (``selectors.access_log_of``, the members' page and
            # API): read from here, not by walking every firm's entries by time until the
            # firm's few turn up (8.9 s in the national crawl once the log had grown).
            models.Index(fields=["enterprise", "-viewed_at", "-id"], name="access_log_firm_order"),
            # The whole log newest first (the admin's list): the default order, whole. On
            # ``viewed_at`` alone, a small log was sorted after joining every enterprise
            # (155 ms nationally with 5,299 entries against 1.4 ms read in this order).
            models.Index(fields=["-viewed_at", "-id"], name="access_log_order"),
        ]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")

    def __str__(self) -> str:
        return f"{self.viewer} · {self.enterprise} · {self.section}"

    @property
    def section_label(self) -> str:
        return str(ACCESS_SECTIONS.get(self.section, _("Enterprise details")))
