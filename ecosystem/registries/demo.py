"""Reference programs are loaded by migration; the demo re-applies them (idempotent)."""

from ecosystem.registries.models import Program
from ecosystem.registries.reference import PROGRAMS


def seed(out) -> None:
    for code, name_zh, name_en, authority, level in PROGRAMS:
        Program.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "authority": authority,
                "level": level,
            },
        )
    out.write(f"programs: {Program.objects.count()}")
