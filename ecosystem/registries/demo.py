"""Reference programs (the official lists enterprises claim membership of)."""

from ecosystem.registries.models import Program

PROGRAMS = [
    (
        "hte",
        "高新技术企业",
        "High-tech enterprise certificate",
        "科学技术部 / 财政部 / 国家税务总局",
        Program.Level.NATIONAL,
    ),
    (
        "tsme",
        "科技型中小企业",
        "Technology-based SME registration",
        "科学技术部",
        Program.Level.NATIONAL,
    ),
    (
        "srdi",
        "专精特新中小企业",
        "Specialised and innovative SME",
        "省级工业和信息化主管部门",
        Program.Level.PROVINCIAL,
    ),
    (
        "little-giant",
        "专精特新“小巨人”企业",
        'Specialised and innovative "little giant"',
        "工业和信息化部",
        Program.Level.NATIONAL,
    ),
    (
        "innovative-sme",
        "创新型中小企业",
        "Innovative SME",
        "省级中小企业主管部门",
        Program.Level.PROVINCIAL,
    ),
]


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
