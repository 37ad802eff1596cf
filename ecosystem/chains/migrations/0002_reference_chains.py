"""Load the reference chains (integrated circuits, AI, new materials, biomedicine)."""

from django.db import migrations


def load(apps, schema_editor):
    from ecosystem.chains.reference import load_chains

    load_chains(apps.get_model("chains", "Chain"), apps.get_model("chains", "ChainNode"))


class Migration(migrations.Migration):
    dependencies = [("chains", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
