"""Programs (official lists of qualified enterprises); imports arrive with the Registries issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.i18n import BilingualNameMixin


class Program(BilingualNameMixin):
    """A qualification program such as the high-tech enterprise certificate."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        MUNICIPAL = "municipal", _("municipal")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name
