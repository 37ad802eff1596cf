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


class RejectionReason(models.Model):
    """The managed list of reason codes an official picks when rejecting a claim."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.label_en if (get_language() or "").startswith("en") else self.label_zh
