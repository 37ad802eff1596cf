"""The reference programs exist everywhere (not only in demo data)."""

from django.db import migrations


def load(apps, schema_editor):
    from ecosystem.registries.reference import PROGRAMS

    Program = apps.get_model("registries", "Program")
    for code, name_zh, name_en, authority, level in PROGRAMS:
        Program.objects.update_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "authority": authority,
                      "level": level},
        )


class Migration(migrations.Migration):
    dependencies = [("registries", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
