"""High-tech zones and their administrations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.i18n import BilingualNameMixin


class Zone(BilingualNameMixin):
    """A high-tech zone (e.g. Beijing Zhongguancun); officials are bound to one zone."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    city = models.CharField(_("city"), max_length=64)
    province = models.CharField(_("province"), max_length=64, blank=True)
    review_target_days = models.PositiveSmallIntegerField(
        _("review target (working days)"), default=5
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self) -> str:
        return self.name
