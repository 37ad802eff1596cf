"""The loan book's upload and the fund dashboard with 100,000 loans filed into one pool.

    python -m bench.funds_bench [--loans 100000] [--repeat 3] [--requests 10]
                                [--results PATH] [--profile FILE]

(a) Upload: a bank's relationship manager posts a CSV of ``--loans`` status rows (Chinese
headings; one row per loan of the book: as of today, the outstanding principal, next due
date, days past due, the five-category class; 1 % of them 95 days past due) to
``/funds/loans/upload/`` through the Django test client (form, file reading, the bulk
upsert, the result page), timed from the request to the response; then the same file again
(an idempotent re-submission: every row unchanged). Rows per second of each, the medians of
``--repeat`` runs; the book is reset to its opening state between runs (not timed).
(b) Dashboard: the pool's fund manager opens ``/funds/dashboard/`` ``--requests`` times;
the median time and the queries of one request.

Database: ``BENCH_FUNDS_DATABASE_URL``, else
postgres://postgres@127.0.0.1:5432/kejinlink_bench_funds (created and migrated when
missing). Its data (``bench/funds_world.py``) is generated once per size and reused: a
zone, a bank and branch, one product, ``loans / 5`` firms, the disbursed leads, their loans
(with the opening report), a risk pool with the bank cooperating, every loan filed (95 %
confirmed), and on the 1 % non-performing a claim each (paid, approved, reviewed or
submitted).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.funds_world import BAD_EVERY, reference, reset_book, seed

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kejinlink_bench_funds"
ROOT = Path(__file__).resolve().parent.parent
HEADINGS = ["贷款编号", "报告日期", "贷款余额", "下次还款日", "逾期天数", "五级分类"]


def funds_url() -> str:
    return os.environ.get("BENCH_FUNDS_DATABASE_URL") or DEFAULT_URL


def book_csv(n: int) -> bytes:
    """The bank's monthly status file: every loan as of today, 1 % 95 days past due."""
    from django.utils import timezone

    today = timezone.localdate()
    due = (today + timedelta(days=25)).isoformat()
    lines = [",".join(HEADINGS)]
    for i in range(n):
        bad = i % BAD_EVERY == 1
        outstanding = "800000.00" if bad else f"{900_000 - (i % 50) * 1000}.00"
        lines.append(
            f"{reference(i)},{today.isoformat()},{outstanding},{due},{95 if bad else 0},"
            f"{'关注' if bad else '正常'}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _client(user_id: int):
    from django.test import Client

    from ecosystem.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def timed_upload(client, content: bytes) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process: the web side, PostgreSQL's apart)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("loan-book.csv", content, content_type="text/csv")
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post("/funds/loans/upload/", {"file": upload})
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"upload answered {response.status_code}")
    return seconds, cpu


def check_book(ids: dict, *, rows: int, uploads: int) -> None:
    """Every row applied once: one upload report per loan however often the file came."""
    from django.utils import timezone

    from ecosystem.funds.models import Loan, LoanReport

    reports = LoanReport.objects.filter(loan__bank_id=ids["bank"], source="upload").count()
    current = Loan.objects.filter(bank_id=ids["bank"], reported_on=timezone.localdate())
    if reports != rows or current.count() != rows:
        raise SystemExit(
            f"after {uploads} uploads: {reports} upload reports, {current.count()} loans current"
        )


def measure_upload(ids: dict, n: int, repeat: int, profile: Path | None) -> dict:
    content = book_csv(n)
    client = _client(ids["rm"])
    firsts, agains, loads, cpus = [], [], [], []
    for rep in range(1, repeat + 1):
        reset_book(ids)
        loads.append(round(os.getloadavg()[0], 2))
        seconds, cpu = timed_upload(client, content)
        firsts.append(seconds)
        cpus.append(cpu)
        check_book(ids, rows=n, uploads=1)
        again, _cpu = timed_upload(client, content)
        agains.append(again)
        check_book(ids, rows=n, uploads=2)
        print(
            f"rep {rep}: upload {seconds:.2f} s ({n / seconds:,.0f} rows/s; {cpu:.1f} s CPU in "
            f"this process: {n / cpu:,.0f} rows per CPU second), the same file "
            f"again {again:.2f} s ({n / again:,.0f} rows/s, unchanged); load {loads[-1]}",
            flush=True,
        )
    if profile:
        import cProfile
        import pstats

        reset_book(ids)
        profiler = cProfile.Profile()
        profiler.enable()
        seconds, _cpu = timed_upload(client, content)
        profiler.disable()
        profiler.dump_stats(profile)
        print(f"\nprofiled upload: {seconds:.2f} s under cProfile, stats in {profile}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    first, again = statistics.median(firsts), statistics.median(agains)
    return {
        "figures": {
            "funds_upload_rows": n,
            "funds_upload_seconds": round(first, 3),
            "funds_upload_rows_per_s": round(n / first),
            "funds_upload_cpu_seconds": round(statistics.median(cpus), 3),
            "funds_upload_rows_per_cpu_s": round(n / statistics.median(cpus)),
            "funds_upload_again_seconds": round(again, 3),
            "funds_upload_again_rows_per_s": round(n / again),
        },
        "details": {
            "upload_seconds_runs": [round(s, 3) for s in firsts],
            "upload_again_seconds_runs": [round(s, 3) for s in agains],
            "upload_csv_mb": round(len(content) / 2**20, 2),
            "load_average_1min_before_uploads": loads,
        },
    }


def measure_dashboard(ids: dict, n: int, requests: int) -> dict:
    from django.db import connection

    client = _client(ids["fm"])
    client.get("/funds/dashboard/")  # warm: templates, translations
    # Counted with an execute wrapper: after a first request, CaptureQueriesContext saw
    # none of the request's queries here (the connection is reopened under it).
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get("/funds/dashboard/")
    if response.status_code != 200 or b'data-testid="cell-' not in response.content:
        raise SystemExit(f"dashboard answered {response.status_code} without its rows")
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get("/funds/dashboard/")
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    print(f"fund dashboard at {n:,} filed loans: {len(queries)} queries, median {median:.1f} ms")
    return {
        "figures": {
            "funds_dashboard_filed_loans": n,
            "funds_dashboard_queries": len(queries),
            "funds_dashboard_ms_median": round(median, 1),
        },
        "details": {"dashboard_ms_runs": [round(t, 1) for t in times]},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--profile", type=Path, help="also cProfile one upload into this file")
    parser.add_argument(
        "--results", type=Path, default=Path(__file__).resolve().parent / "results/latest.json"
    )
    args = parser.parse_args(argv)

    os.environ["BENCH_DATABASE_URL"] = funds_url()  # this process only
    os.environ["MAX_UPLOAD_BYTES"] = str(64 * 2**20)  # the file, not the limit, is measured
    from bench.import_bench import ensure_database, setup_django

    ensure_database(funds_url())
    media = tempfile.mkdtemp(prefix="bench-funds-media-")
    try:
        setup_django(media)
        return run(args)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def run(args) -> int:
    from django.conf import settings

    from bench.results import record

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    ids = seed(args.loans)
    upload = measure_upload(ids, args.loans, args.repeat, args.profile)
    dashboard = measure_dashboard(ids, args.loans, args.requests)
    figures = {**upload["figures"], **dashboard["figures"]}
    print()
    for key, value in figures.items():
        print(f"{key}: {value}")
    record(
        figures,
        path=args.results,
        bench="funds",
        details={
            "loans": args.loans,
            "repeat": args.repeat,
            "requests": args.requests,
            **upload["details"],
            **dashboard["details"],
        },
    )
    print(f"written to {args.results} and {args.results.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
