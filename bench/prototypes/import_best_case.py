"""Scratch prototype (not part of `make bench`): the cheapest import design found, end to end,
against a bare COPY of the same 200,000 rows, to decide whether "import ≤ 4× a bare COPY"
(issues 4 and 9) can be met on this machine.

The design: parse and check the CSV in native code (polars: read, strip, upper-case,
credit-code check sums, duplicates), write the clean rows as CSV, COPY them into a fresh
table (as a per-list partition would be) whose constant columns are column defaults, then
build the indexes in bulk. No Django, no job rows, no claim verification, no ATTACH: a
floor, not an implementation. "3idx": id, unique (uscc, program, batch), (program, batch,
uscc); "2idx": the last one dropped.

    python3 -m venv /tmp/pl && /tmp/pl/bin/pip install polars "psycopg[binary]"
    /tmp/pl/bin/python bench/prototypes/import_best_case.py   # after one `make bench`

Figures it printed are in docs/performance.md (session 3).
"""

import os
import time

import polars as pl
import psycopg

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
VALUES = {c: i for i, c in enumerate(ALPHABET)}
REGIONS = ["北京市海淀区", "上海市浦东新区", "深圳市南山区", "杭州市西湖区", "成都市高新区"]
WS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
DSN = os.environ.get("PROTO_DSN", "host=127.0.0.1 user=postgres dbname=kejinlink_bench")


def uscc(n: int) -> str:
    body = "91440300" + "".join(ALPHABET[(n // 31**i) % 31] for i in range(9))
    total = sum(VALUES[c] * w for c, w in zip(body, WEIGHTS, strict=True))
    return body + ALPHABET[(31 - total % 31) % 31]


HEADER = "序号,统一社会信用代码,企业名称,批次,年度,有效期至,所属地区"
TEXT = (
    "\r\n".join(
        [HEADER]
        + [
            f"{i + 1},{uscc(1_000_000 + i)},深圳测试科技有限公司{i},2026年第一批,2026,"
            f"2028-12-31,{REGIONS[i % 5]}"
            for i in range(200_000)
        ]
    )
    + "\r\n"
)
RAW = TEXT.encode()


def bare(conn) -> float:
    conn.execute("DROP TABLE IF EXISTS proto_bare")
    conn.execute(
        "CREATE TABLE proto_bare (seq integer, uscc varchar(18), name varchar(200), "
        "batch varchar(64), year smallint, valid_until date, region varchar(100))"
    )
    conn.execute("CHECKPOINT")
    started = time.perf_counter()
    with conn.transaction(), conn.cursor() as cur:
        with cur.copy("COPY proto_bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(TEXT)
    return time.perf_counter() - started


def clean_csv() -> str:
    RAW.decode("utf-8")  # the encoding check
    df = pl.read_csv(RAW, infer_schema=False, has_header=True)
    code = (
        df["统一社会信用代码"]
        .str.strip_chars(WS)
        .str.replace_all(" ", "", literal=True)
        .str.to_uppercase()
    )
    total = None
    for i, weight in enumerate([*WEIGHTS, 1]):
        value = code.str.slice(i, 1).replace_strict(VALUES, default=10_000, return_dtype=pl.Int32)
        total = value * weight if total is None else total + value * weight
    name = df["企业名称"].str.strip_chars(WS).str.slice(0, 200)
    good = (code.str.len_bytes() == 18) & (total % 31 == 0) & ~code.is_duplicated()
    good = good & (name.str.len_chars() > 0)
    out = pl.DataFrame(
        {
            "uscc": code,
            "name": name,
            "certificate_number": pl.Series([""] * len(code)),
            "year": df["年度"].cast(pl.Int16),
            "valid_until": df["有效期至"].str.to_date(),
            "region": df["所属地区"].str.strip_chars(WS).str.slice(0, 100),
        }
    ).filter(good)
    return out.write_csv(None, include_header=False, quote_style="non_numeric", null_value="")


def proto(conn, indexes: int) -> tuple[float, str]:
    conn.execute("DROP TABLE IF EXISTS proto_leaf")
    conn.execute("CHECKPOINT")
    t0 = time.perf_counter()
    payload = clean_csv()
    t1 = time.perf_counter()
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("CREATE TABLE proto_leaf (LIKE registries_registryentry INCLUDING DEFAULTS)")
        cur.execute(
            "ALTER TABLE proto_leaf ALTER COLUMN id SET DEFAULT nextval('proto_seq'), "
            "ALTER COLUMN program_id SET DEFAULT 1, ALTER COLUMN batch SET DEFAULT '2026年第一批', "
            "ALTER COLUMN status SET DEFAULT 'current', "
            "ALTER COLUMN first_import_id SET DEFAULT 1, "
            "ALTER COLUMN last_import_id SET DEFAULT 1, "
            "ALTER COLUMN updated_at SET DEFAULT now()"
        )
        columns = "uscc, name, certificate_number, year, valid_until, region"
        with cur.copy(f"COPY proto_leaf ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(payload)
        t2 = time.perf_counter()
        cur.execute("CREATE INDEX ON proto_leaf (id)")
        cur.execute("CREATE UNIQUE INDEX ON proto_leaf (uscc, program_id, batch)")
        if indexes == 3:
            cur.execute("CREATE INDEX ON proto_leaf (program_id, batch, uscc)")
        t3 = time.perf_counter()
    t4 = time.perf_counter()
    phases = f"py {t1 - t0:.3f} copy {t2 - t1:.3f} idx {t3 - t2:.3f} commit {t4 - t3:.3f}"
    return t4 - t0, phases


def main() -> None:
    conn = psycopg.connect(DSN, autocommit=True)
    conn.execute("CREATE SEQUENCE IF NOT EXISTS proto_seq")
    for _ in range(4):
        base = bare(conn)
        three, d3 = proto(conn, 3)
        two, d2 = proto(conn, 2)
        print(
            f"load {os.getloadavg()[0]:.1f} bare {base:.3f} | 3idx {three:.3f} "
            f"({three / base:.2f}x) [{d3}] | 2idx {two:.3f} ({two / base:.2f}x) [{d2}]",
            flush=True,
        )
    for table in ("proto_bare", "proto_leaf"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")


if __name__ == "__main__":
    main()
