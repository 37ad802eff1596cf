"""Default rejection reasons, loaded by migration; platform admins manage the list."""

REJECTION_REASONS = [
    (
        "not_on_list",
        "企业不在该项目的官方名单中",
        "The enterprise is not on the official list for this program.",
    ),
    ("certificate_invalid", "证书编号无法核实", "The certificate number could not be confirmed."),
    ("certificate_expired", "证书已过有效期", "The certificate has expired."),
    ("evidence_unreadable", "证明材料无法辨认", "The evidence files cannot be read."),
    ("data_mismatch", "申报信息与证明材料不一致", "The claim does not match the evidence."),
    ("other", "其他原因（见说明）", "Other reason (see the explanation)."),
]
