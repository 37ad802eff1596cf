"""GB/T 4754-2017 industry classification (sections and divisions) as reference data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.i18n import BilingualNameMixin


class IndustrySection(BilingualNameMixin):
    code = models.CharField(_("code"), max_length=1, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry section")
        verbose_name_plural = _("industry sections")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndustryDivision(BilingualNameMixin):
    code = models.CharField(_("code"), max_length=2, unique=True)
    section = models.ForeignKey(
        IndustrySection,
        on_delete=models.PROTECT,
        related_name="divisions",
        verbose_name=_("section"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry division")
        verbose_name_plural = _("industry divisions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
