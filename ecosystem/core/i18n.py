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
        language = (get_language() or "zh-hans").lower()
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


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
