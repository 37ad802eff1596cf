"""A firm's consent to its zone seeing the detail of its loans (the zone otherwise sees the
loan book in aggregate only): granted and revoked by a member of the firm, kept as history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoanSharing(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="loan_sharings",
        verbose_name=_("enterprise"),
    )
    granted_at = models.DateTimeField(_("granted at"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(revoked_at__isnull=True),
                name="loan_sharing_one_active_per_enterprise",
            )
        ]
        verbose_name = _("loan details shared with the zone")
        verbose_name_plural = _("loan details shared with the zone")

    def __str__(self) -> str:
        return f"{self.enterprise}"
