"""Official lists in the shapes the benches import (the CSV is built in ``import_bench``)."""

from __future__ import annotations

import io
import re
import zipfile


def list_xlsx(n: int, *, headers, batch, regions, code) -> bytes:
    """The same rows as ``list_csv`` in a workbook as a district office saves it: a title
    row, a blank row, then the header and the rows (written streamed, then given the
    ``<dimension>`` element Excel and WPS write, without which openpyxl reads the sheet
    twice)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("名单")
    sheet.append([f"{batch}高新技术企业名单"])
    sheet.append([])
    sheet.append(headers)
    for i in range(n):
        sheet.append(
            [
                i + 1,
                code(1_000_000 + i),
                f"深圳测试科技有限公司{i}",
                batch,
                2026,
                "2028-12-31",
                regions[i % len(regions)],
            ]
        )
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet") and b"<dimension" not in data:
                data = re.sub(
                    rb"(<sheetViews|<sheetFormatPr|<cols|<sheetData)",
                    f'<dimension ref="A1:G{n + 3}"/>'.encode() + rb"\1",
                    data,
                    count=1,
                )
            dst.writestr(item, data)
    return out.getvalue()
