"""Reference programs (the official lists enterprises claim membership of).

Rows: (code, Chinese name, English name, authority, level). Loaded by migration 0002.
"""

PROGRAMS = [
    (
        "hte",
        "高新技术企业",
        "High-tech enterprise certificate",
        "科学技术部 / 财政部 / 国家税务总局",
        "national",
    ),
    ("tsme", "科技型中小企业", "Technology-based SME registration", "科学技术部", "national"),
    (
        "srdi",
        "专精特新中小企业",
        "Specialised and innovative SME",
        "省级工业和信息化主管部门",
        "provincial",
    ),
    (
        "little-giant",
        "专精特新“小巨人”企业",
        'Specialised and innovative "little giant"',
        "工业和信息化部",
        "national",
    ),
    ("innovative-sme", "创新型中小企业", "Innovative SME", "省级中小企业主管部门", "provincial"),
]

#: The program whose valid certificate qualifies directly in the TSME self-assessment.
HIGH_TECH_ENTERPRISE = "hte"
