"""Where the table is in a published list, and which rows are not data.

Authorities publish lists with a title ("附件1", "第五批专精特新“小巨人”企业名单") above the
table, the header anywhere in the first rows (sometimes two rows, merged), blank separator
rows, sub-headings for a province or district ("北京市（6家）", "一、海淀区"), a total line
("合计", "共56家") and footnotes under the table. This module finds the header and judges
each row: data, or not data with a kind the preview names. A sub-heading's region is
carried into the rows under it when the table has no region column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: Normalised header text → field (see ``normalise_header``).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "uscc": (
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一代码",
        "企业统一社会信用代码",
        "统一社会信用代码号",
        "uscc",
        "unifiedsocialcreditcode",
        "creditcode",
        "socialcreditcode",
    ),
    "name": (
        "企业名称",
        "单位名称",
        "公司名称",
        "名称",
        "企业全称",
        "企业名单",
        "申报单位",
        "申报企业名称",
        "enterprisename",
        "companyname",
        "name",
    ),
    "batch": ("批次", "认定批次", "入库批次", "batch"),
    "year": ("年度", "年份", "认定年度", "入库年度", "year"),
    "valid_until": (
        "有效期至",
        "有效期",
        "有效期限",
        "有效日期",
        "有效期截止",
        "有效期截止日期",
        "截止日期",
        "有效截止日期",
        "证书有效期",
        "validuntil",
        "expiry",
        "expires",
        "expirydate",
        "validto",
    ),
    "issued_on": (
        "发证日期",
        "发证时间",
        "颁证日期",
        "认定日期",
        "认定时间",
        "入库日期",
        "入库时间",
        "登记日期",
        "issuedon",
        "issuedate",
        "dateofissue",
    ),
    "region": (
        "所属地区",
        "地区",
        "所在地区",
        "区域",
        "所属区域",
        "所属区",
        "所在区",
        "区县",
        "所属区县",
        "注册地",
        "省份",
        "省",
        "所属省份",
        "所在省份",
        "省区市",
        "地市",
        "所属地市",
        "城市",
        "region",
        "province",
        "district",
        "area",
        "city",
    ),
    "certificate_number": (
        "证书编号",
        "证书号",
        "证书号码",
        "高新技术企业证书编号",
        "入库登记编号",
        "入库编号",
        "登记编号",
        "编号",
        "certificatenumber",
        "registrationnumber",
        "certificateno",
    ),
    "seq": ("序号", "行号", "no", "no.", "number", "#"),
}
FIELD_LABELS = {
    "uscc": _("credit code"),
    "name": _("name"),
    "batch": _("batch"),
    "year": _("year"),
    "valid_until": _("valid until"),
    "issued_on": _("date of issue"),
    "region": _("region"),
    "certificate_number": _("certificate number"),
    "seq": _("row number in the list"),
}
#: Fields the preview shows and the officer may map a column to.
FIELDS = tuple(FIELD_LABELS)
HEADER_SCAN_ROWS = 30

_LOOKUP = {s: field for field, synonyms in HEADER_SYNONYMS.items() for s in synonyms}
_PARENTHESISED = re.compile(r"[（(][^（()）]*[）)]")
_STRIP = re.compile(r"[\s*＊:：\ufeff\"“”'‘’]+")


def normalise_header(text) -> str:
    """NFKC, a parenthesised remark dropped ("统一社会信用代码（18位）", "企业（单位）名称"),
    spaces, line breaks, asterisks and colons removed, lower case."""
    value = unicodedata.normalize("NFKC", str(text if text is not None else ""))
    stripped = _STRIP.sub("", value).lower()
    without = _PARENTHESISED.sub("", stripped)
    if without in _LOOKUP or without != stripped and stripped not in _LOOKUP:
        return without
    return stripped


def map_headers(cells: list) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field_name = _LOOKUP.get(normalise_header(cell))
        if field_name and field_name not in mapping:
            mapping[field_name] = index
    return mapping


def usable(mapping: dict[str, int]) -> bool:
    """A header names the firm, and a credit code or (a name-only list) a row number or
    region beside it."""
    return "name" in mapping and ("uscc" in mapping or "seq" in mapping or "region" in mapping)


@dataclass(frozen=True)
class Header:
    row: int  # 1-based number of the header's last row
    rows: int  # 1 or 2
    headers: list[str]
    mapping: dict[str, int]


def find_header(table: list[list], *, scan: int = HEADER_SCAN_ROWS) -> Header | None:
    """The first row (or pair of rows) in the first ``scan`` rows that is a usable header.

    A two-row header: the upper row groups columns ("企业信息" over "统一社会信用代码" and
    "企业名称") or holds a column the lower row leaves empty ("序号" merged downwards).
    """
    limit = min(scan, len(table))
    for index in range(limit):
        cells = table[index]
        mapping = map_headers(cells)
        upper = table[index - 1] if index else None
        upper_mapping = map_headers(upper) if upper is not None else {}
        if upper is not None and not usable(upper_mapping):
            combined = _combined(upper, cells)
            combined_mapping = map_headers(combined)
            grouped = bool(upper_mapping) or len(combined_mapping) > len(mapping)
            if usable(combined_mapping) and grouped:
                # The upper row names columns too ("序号" merged down, a group title over
                # two columns): both rows are the header.
                return Header(index + 1, 2, _texts(combined), combined_mapping)
        if usable(mapping):
            lower = table[index + 1] if index + 1 < len(table) else None
            if lower is not None and _is_sub_header(lower, mapping):
                combined = _combined(cells, lower)
                return Header(index + 2, 2, _texts(combined), map_headers(combined))
            return Header(index + 1, 1, _texts(cells), mapping)
    return None


def _texts(cells: list) -> list[str]:
    return [" ".join(str(c).split()) if c is not None else "" for c in cells]


def _combined(upper: list, lower: list) -> list:
    """Per column, the lower row's header when it is one, else the upper row's, else the
    two joined ("企业" over "名称")."""
    width = max(len(upper), len(lower))
    out = []
    for i in range(width):
        top = upper[i] if i < len(upper) else None
        bottom = lower[i] if i < len(lower) else None
        for candidate in (bottom, top, f"{top or ''}{bottom or ''}"):
            if candidate not in (None, "") and normalise_header(candidate) in _LOOKUP:
                out.append(candidate)
                break
        else:
            out.append(bottom if bottom not in (None, "") else top)
    return out


def _is_sub_header(row: list, mapping: dict[str, int]) -> bool:
    """The row under a header maps further fields and holds nothing that looks like data."""
    extra = {f for f in map_headers(row) if f not in mapping}
    if not extra:
        return False
    return not any(_looks_like_code(c) for c in row)


def _looks_like_code(cell) -> bool:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return cell >= 1e8
    text = "".join(str(cell or "").split())
    return len(text) >= 15 and sum(ch.isalnum() and ch.isascii() for ch in text) >= 15


# --- rows that are not data -------------------------------------------------------------

SKIP_KINDS = {
    "title": _("title or note above the table"),
    "blank": _("blank row"),
    "header": _("repeated header row"),
    "heading": _("sub-heading (region or group)"),
    "total": _("total line"),
    "note": _("footnote or remark"),
}
_TOTAL = re.compile(r"^(合计|总计|小计|共计|总数|total)|^共\s*\d+\s*(家|户|个|项)|^合\s*计", re.I)
_NOTE = re.compile(r"^(注|备注|说明|附注|数据来源|来源|资料来源|[*※]|note|remark)", re.I)
_ORDINAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[）)])\s*"
)
_COUNT = re.compile(r"\s*[（(]?\s*(?:共\s*)?\d+\s*(?:家|户|个)\s*[）)]?\s*$")
_PLACE = re.compile(r"(省|市|区|县|旗|盟|州|自治区|新区|开发区|高新区|园区|地区)$")


@dataclass(frozen=True)
class Skipped:
    row_number: int
    kind: str
    text: str


def distinct_texts(cells: list) -> list[str]:
    """The row's non-empty cell texts, each once (a merged cell filled across counts once)."""
    seen: list[str] = []
    for cell in cells:
        if cell is None:
            continue
        text = " ".join(str(cell).split())
        if text and text not in seen:
            seen.append(text)
    return seen


def classify(cells: list, mapping: dict[str, int]) -> tuple[str, str]:
    """("data", "") for a data row, else (skip kind, the row's text). A "heading" row's
    text is the region it names (ordinal and count removed)."""
    texts = distinct_texts(cells)
    if not texts:
        return "blank", ""
    joined = " ".join(texts)
    found = map_headers(cells)
    if "name" in found and len(found) >= 2:  # the header again (each page of a PDF)
        return "header", joined
    code = _cell(cells, mapping.get("uscc"))
    if code not in (None, "") and _looks_like_code(code):
        return "data", ""
    if any(_TOTAL.match(t) for t in texts):
        return "total", joined
    if _NOTE.match(texts[0]):
        return "note", joined
    if len(texts) == 1:
        text = texts[0]
        heading = _COUNT.sub("", _ORDINAL.sub("", text)).strip(" ：:")
        if (
            heading
            and len(heading) <= 20
            and (_COUNT.search(text) or _ORDINAL.match(text) or _PLACE.search(heading))
        ):
            return "heading", heading
        filled = [i for i, c in enumerate(cells) if c is not None and str(c).strip()]
        if filled == [mapping.get("name")]:
            # A name alone in the name column: a firm whose code is missing (refused
            # later) or a row of a name-only list. A text filled across merged cells
            # (a footnote) is not.
            return "data", ""
        return "note", joined
    return "data", ""


def _cell(cells: list, index: int | None):
    if index is None or index >= len(cells):
        return None
    return cells[index]


def region_from_sheet_name(name: str) -> str:
    """A sheet named for a district ("海淀区", "北京市") gives its rows that region."""
    text = " ".join(str(name or "").split())
    text = _COUNT.sub("", _ORDINAL.sub("", text)).strip()
    return text if text and len(text) <= 20 and _PLACE.search(text) else ""
