from django.db import migrations


def load(apps, schema_editor):
    from ecosystem.zones.reference import REJECTION_REASONS

    Reason = apps.get_model("zones", "RejectionReason")
    for position, (code, label_zh, label_en) in enumerate(REJECTION_REASONS):
        Reason.objects.update_or_create(
            code=code,
            defaults={"label_zh": label_zh, "label_en": label_en, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("zones", "0002_rejection_reasons")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
