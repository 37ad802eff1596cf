"""Load the GB/T 4754-2017 sections and divisions (reference data, present everywhere)."""

from django.db import migrations


def load(apps, schema_editor):
    from ecosystem.enterprises.reference.gbt4754 import DIVISIONS, SECTIONS

    Section = apps.get_model("enterprises", "IndustrySection")
    Division = apps.get_model("enterprises", "IndustryDivision")
    sections = {}
    for code, name_zh, name_en in SECTIONS:
        sections[code], _ = Section.objects.update_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en}
        )
    for code, section, name_zh, name_en in DIVISIONS:
        Division.objects.update_or_create(
            code=code,
            defaults={"section": sections[section], "name_zh": name_zh, "name_en": name_en},
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
