"""Enterprises: the minimal record the foundation needs; the Enterprise issue extends it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.enterprises.uscc import validate_uscc


class Enterprise(models.Model):
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("zone")
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name
