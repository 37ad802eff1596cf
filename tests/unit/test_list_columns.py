"""A plain CSV cleaned column by column gives exactly what the row-by-row rules give."""

import operator
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem.core.uscc import ALPHABET
from ecosystem.registries import analysis, columns, parsing
from tests.factories import make_uscc
from tests.worlds.registry_files import HEADERS_ZH

BATCH = "2026年第一批"
VALID = [make_uscc(70_000 + i) for i in range(6)]


def test_whitespace_is_what_str_strip_removes():
    expected = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert columns.WHITESPACE == expected


def _mutations(code: str):
    yield code
    yield code.lower()
    yield code[:17]
    yield code + "1"
    yield code[:5] + " " + code[5:]
    for i in (0, 8, 16, 17):
        for symbol in ("0", "A", "I", "O", "Z", "Y", "é", "ﬀ"):
            yield code[:i] + symbol + code[i + 1 :]
    yield code[::-1]


codes = st.one_of(
    st.sampled_from(VALID),
    st.sampled_from(VALID).flatmap(lambda c: st.sampled_from(list(_mutations(c)))),
    st.text(alphabet=ALPHABET, min_size=17, max_size=17).map(
        lambda body: (
            body
            + ALPHABET[-sum(ALPHABET.index(s) * pow(3, i, 31) for i, s in enumerate(body)) % 31]
        )
    ),
    st.text(alphabet=ALPHABET + "IOSVZ ", min_size=16, max_size=19),
    st.text(max_size=20).filter(lambda t: "\n" not in t),  # a plain CSV's cell has none
)


@given(st.lists(codes, max_size=40))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_check_codes_agrees_with_the_reference_check(raw_codes):
    normalised = columns._normalised_codes(raw_codes) if raw_codes else []
    assert columns.check_codes(normalised) == [
        parsing._check_uscc(c) is not None for c in raw_codes
    ]


def test_check_codes_on_a_long_column_of_valid_and_broken_codes():
    good = [make_uscc(100_000 + i) for i in range(5000)]
    broken = [c[:17] + ("0" if c[17] != "0" else "1") for c in good[::7]]
    mixed = good + broken
    assert columns.check_codes(mixed) == [True] * len(good) + [False] * len(broken)


def _text(rows, *, delimiter=",", title=None, newline="\r\n"):
    lines = ([title] if title else []) + [delimiter.join(HEADERS_ZH)]
    lines += [delimiter.join(str(c) for c in row) for row in rows]
    return (newline.join(lines) + newline).encode("utf-8")


def _both(raw: bytes, monkeypatch, batch=BATCH):
    """The list cleaned as the import cleans it (column by column, falling back to rows
    when refused rows turn out to be sub-headings or totals) and by the row rules alone."""
    sheet = parsing.open_sheet(raw, name="list.csv")
    assert sheet.lines is not None, "expected a plain CSV"
    fast = analysis.clean_sheet(sheet, batch=batch, term_years=None)
    with monkeypatch.context() as m:
        m.setattr(columns, "plain_lines", lambda text, dialect: None)
        reference_sheet = parsing.open_sheet(raw, name="list.csv")
    assert reference_sheet.lines is None
    reference = columns.ListColumns.from_rows(parsing.clean_rows(reference_sheet, batch=batch))
    assert sheet.total_rows == reference_sheet.total_rows
    return fast, reference


def _same(fast, reference):
    assert fast.entry_rows() == reference.entry_rows()
    assert fast.errors == reference.errors
    by_row = operator.attrgetter("row_number")
    assert sorted(fast.skipped, key=by_row) == sorted(reference.skipped, key=by_row)
    assert fast.total_rows == reference.total_rows


def test_every_kind_of_row_error_matches_the_row_rules(monkeypatch):
    a, b, c, d, e, f = VALID
    rows = [
        [1, a, "甲公司", BATCH, "2026", "2028-12-31", "北京"],
        [2, a[:17] + "0" if a[17] != "0" else a[:17] + "1", "坏码", "", "", "", ""],
        [3, b, "  ", BATCH, "2026", "2028-12-31", "北京"],
        [4, a, "重复", BATCH, "2026", "2028-12-31", "北京"],
        [5, c, "别的批次", "2025年第二批", "2026", "", ""],
        [6, d, "坏日期", "", "2026", "2028-13-40", ""],
        [7, d, "同码但好", "", "2026年", "2028年1月5日", "上海"],
        [8, d, "同码再次", "", "", "", ""],
        [9, e, "坏年份", "", "１９", "20281231", ""],
        [10, " " + f.lower()[:6] + " " + f.lower()[6:], "小写加空格", "", "２０２６", "", ""],
        [11, "", "", "", "", "", ""],
        [12, b, "x" * 250, "", "", " 2028/1/2 ", "r" * 120],
    ]
    fast, reference = _both(_text(rows), monkeypatch)
    _same(fast, reference)
    assert {e.code for e in fast.errors} == {
        "uscc_check",
        "missing_name",
        "duplicate",
        "other_batch",
        "bad_date",
        "bad_year",
    }
    # Row 11 holds only its serial number: not a data row (skipped and listed), not blank.
    assert fast.total_rows == 11
    assert [(s.row_number, s.kind, s.text) for s in fast.skipped] == [(12, "note", "11")]


def test_blank_short_and_long_rows_a_title_and_odd_characters(monkeypatch):
    a, b, c = VALID[:3]
    text = "\n".join(
        [
            "2026年科技型中小企业名单",
            ",".join(HEADERS_ZH),
            f"1,{a},甲,{BATCH}",  # short: the missing cells are empty
            ",, ,,,,",
            "",
            f"2,{b},乙,,2026,2028-12-31,北京,extra,cells",
            f"3,{c},丙 \\ 反\t斜杠,,2026,2028-12-31,北京",
        ]
    ).encode("utf-8")
    fast, reference = _both(text, monkeypatch)
    _same(fast, reference)
    assert fast.row_numbers == [3, 6, 7]


def test_files_the_plain_reading_leaves_to_the_csv_module():
    dialect = parsing.csv.excel
    assert columns.plain_lines('a,b\r\n"x,y",z\r\n', dialect) is None
    assert columns.plain_lines("a,b\rc,d\n", dialect) is None
    assert columns.plain_lines("a,b\x00\n", dialect) is None
    assert columns.plain_lines("a,b\r\nc,d\r\n", dialect) == ["a,b", "c,d"]


cells = st.fixed_dictionaries(
    {
        "uscc": st.one_of(
            st.sampled_from(VALID),
            st.sampled_from(VALID).map(lambda c: " " + c.lower() + " "),
            st.sampled_from(["", "123", VALID[0][:17] + "Z", "９１" + VALID[1][2:]]),
        ),
        "name": st.sampled_from(["甲公司", "", "  ", "x" * 201, "名\\字"]),
        "batch": st.sampled_from(["", BATCH, " " + BATCH, "2025年第一批"]),
        "year": st.sampled_from(["", "2026", "2026年", "１９９５", "1989", "二〇二六", "²"]),
        "date": st.sampled_from(["", " ", "2028-12-31", "2028/2/30", "20281231", "2028年1月5日"]),
        "region": st.sampled_from(["", "北京", " 上海 "]),
    }
)


@given(st.lists(cells, max_size=25), st.sampled_from([",", "\t", ";"]))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_plain_files_clean_the_same_both_ways(monkeypatch, rows, delimiter):
    table = [
        [i + 1, r["uscc"], r["name"], r["batch"], r["year"], r["date"], r["region"]]
        for i, r in enumerate(rows)
    ]
    raw = _text(table, delimiter=delimiter)
    try:
        sheet = parsing.open_sheet(raw, name="list.csv")
    except parsing.ApplicationError:
        return  # the sniffer took another delimiter: not a file this test is about
    if sheet.lines is None or sheet.dialect.delimiter != delimiter:
        return
    fast, reference = _both(raw, monkeypatch)
    _same(fast, reference)


@pytest.mark.parametrize("size", [0, 1, 2])
def test_tiny_lists(monkeypatch, size):
    rows = [[i + 1, VALID[i], "甲", BATCH, "2026", "2028-12-31", "北京"] for i in range(size)]
    fast, reference = _both(_text(rows), monkeypatch)
    _same(fast, reference)
