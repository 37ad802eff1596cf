"""Banks and the branches that serve zones; products, matches and leads come later."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.i18n import BilingualNameMixin


class Bank(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=32, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bank")
        verbose_name_plural = _("banks")

    def __str__(self) -> str:
        return self.name


class Branch(BilingualNameMixin):
    """A branch of a bank; it serves the leads of the zones it is linked to."""

    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="branches", verbose_name=_("bank")
    )
    code = models.SlugField(_("code"), max_length=32)
    zones = models.ManyToManyField(
        "zones.Zone", blank=True, related_name="branches", verbose_name=_("zones served")
    )
    is_head_office = models.BooleanField(_("head office"), default=False)

    class Meta:
        ordering = ["bank", "code"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="branch_code_unique_per_bank")
        ]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self) -> str:
        return self.name
