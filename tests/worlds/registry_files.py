"""Build official-list files the way authorities publish them, for tests and the bench."""

import io

from openpyxl import Workbook

from tests.factories import make_uscc

HEADERS_ZH = ["序号", "统一社会信用代码", "企业名称", "批次", "年度", "有效期至", "所属地区"]


def rows_for(n: int, *, start: int = 0, batch: str = "2026年第一批") -> list[list]:
    return [
        [
            i + 1,
            make_uscc(50_000 + start + i),
            f"测试科技有限公司{start + i}",
            batch,
            "2026",
            "2028-12-31",
            "北京市海淀区",
        ]
        for i in range(n)
    ]


def csv_bytes(
    rows: list[list], *, headers=HEADERS_ZH, encoding: str = "utf-8", title: str | None = None
) -> bytes:
    lines = []
    if title:
        lines.append(title)
    lines.append(",".join(headers))
    lines += [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list], *, headers=HEADERS_ZH) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
