"""Bilingual reference data: pick the name in the active language."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """Chinese and English names; ``name`` gives the one for the active language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return bilingual_name(self.name_zh, self.name_en)


def english() -> bool:
    """Whether the active language is English (else the Chinese names are shown)."""
    return (get_language() or "zh-hans").lower().startswith("en")


def bilingual_name(name_zh: str, name_en: str, *, in_english: bool | None = None) -> str:
    """The name shown in the active language (``in_english``: as :func:`english` says):
    the English one when there is one, else the Chinese."""
    if in_english is None:
        in_english = english()
    return name_en if in_english and name_en else name_zh


class LabelsById(dict):
    """Labels of reference rows an export reads as plain columns (``values_list``), each
    made once per export, in the active language, by ``make`` from the first row that
    names it: ``zones.of(zone_id, name_zh, name_en)``."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def of(self, pk, *columns):
        try:
            return self[pk]
        except KeyError:
            label = self[pk] = self.make(*columns)
            return label
