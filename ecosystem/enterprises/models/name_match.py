"""A row of a list without credit codes, matched to a registered firm by its name."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NameMatch(models.Model):
    """A proposed match of a name-only registry entry to an enterprise. Only a match a
    registry officer confirms gives the entry the firm's credit code, and so verifies."""

    class Kind(models.TextChoices):
        EXACT = "exact", _("same name")
        AMBIGUOUS = "ambiguous", _("same name, several firms")
        NEAR = "near", _("similar name (company form or place differs)")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("another firm was confirmed")

    entry = models.ForeignKey(
        "registries.RegistryEntry",
        on_delete=models.CASCADE,
        related_name="name_matches",
        verbose_name=_("list row"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="name_matches",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("match"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        ordering = ["entry_id", "kind", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "enterprise"], name="name_match_once"),
        ]
        indexes = [models.Index(fields=["status", "entry"])]
        verbose_name = _("name match")
        verbose_name_plural = _("name matches")

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.enterprise_id} ({self.kind}, {self.status})"
