"""Every GET URL of the permission matrix, as each role that may open it, on the national world.

    python -m bench.crawl_bench [--scale 1.0] [--keep] [--repeat 5] [--results PATH]

The world is ``bench/world.py``'s (built, or reused with ``--keep``). The URL list and how
a URL's arguments are filled are the permission matrix's (``tests/worlds/permission_matrix``):
every entry with a GET method, the admin's pages (``ADMIN_GROUP``) included, requested as
each of the six signed-in roles the matrix expects to get 200 (an enterprise owner, an
official of the first zone, an officer of the ``hte`` list, the relationship manager of
the big bank's branch in that zone, that bank's manager, a platform admin). The objects
URLs point at are the world's (the first enterprise, its lead with the big bank and its
offer, its figures, claim and consent); those a generated world lacks (a financing need,
a claim with evidence, a campaign and its invitation, a pending list import, a chain
leadership and a supplier link, a staff invitation, an export) are made through the
services the first time a crawl runs on a world, **committed**, and found again by later
runs (``bench/crawl_focal.py``: how each is recognised, what each run refreshes).

**A transaction per page, rolled back.** Each (URL, role) is measured in a fresh
transaction of its own (``page_in_transaction``): a client signs in (``force_login``),
opens the home page, the page is requested, and the transaction is rolled back. So a page
is measured as a server serves it, over committed data, and sees no other page's writes
(a page's writes, such as an export's access-log entries or a session, go with it). Until
2026-12-07 every page ran in one transaction (the focal objects made at its start, a
savepoint per request, the writes kept), which left state from page to page (the
member's TOTP page answered 302 there, 200 now) and was suspected of slowing the
heaviest pages late in the crawl; measured, it did not (docs/performance.md, "The crawl:
a transaction per page"). The world's record (``bench_world``) is not touched, so
``--keep`` reuses the world as before; the crawl can run again and again on it (the focal
objects are made once; each page's writes are rolled back). ``crawl`` refuses to run
inside a transaction (every page would be a savepoint of it again).

In-process, through Django's test client signed in with ``force_login`` (the suite's way;
staff have a TOTP authenticator), DEBUG off. Each client first opens the home page (its
session's first writes: the staff session's expiry and activity time), and the staff
session's activity clock (``accounts.middleware._clock``, written at most once a minute)
stands still for the crawl: otherwise the request that happens to fall a minute after the
last write carries three queries more (``SAVEPOINT``, ``UPDATE django_session``,
``RELEASE``), which is what flagged 46 pages of the first national crawl. For each (URL,
role): one request that warms the page (caches, connection), then the queries of the next
one (``CaptureQueriesContext``; its time is the first timed request), then ``--repeat``
timed requests in all (a streamed export read to its end): the median is the page's server
time. A page whose first request took over ``SLOW_MS`` (3 s) is not requested again (its
figures are that request's), and a request still running after ``--cap`` seconds (60) is
stopped (SIGALRM) and recorded as ``timeout`` with the cap as its time (a single query past
it is stopped by ``statement_timeout``, set for the page's transaction only; each request
runs in a savepoint of it, so the page's next requests and the crawl go on): at national
size a few dashboards computed over every lead in Python, or ran one query, for minutes.

Writes ``crawl_pages``, ``crawl_slowest_ms``, ``crawl_p95_ms``, ``crawl_max_queries``,
``crawl_flagged_pages`` (``crawl_small_*`` at a scale below 1) to the results JSON, the
slowest twenty to the markdown, and every row to ``bench/results/crawl-<scale>.json``
stamped with the code it ran on. The pages whose query count differs from the crawl of a
smaller world made with the same code (``bench/crawl_compare.py``) go to the JSON and the
markdown as ``crawl_flagged`` (role, URL, queries on the small and the big world); with no
such crawl the markdown says that the reference is missing and nothing is compared.
Beside them, the machine's own speed through the crawl (``machine_reference``: a fixed
piece of Python and a fixed PostgreSQL statement, timed before every 100 pages and after
the last): ``crawl_reference_python_ms`` and ``crawl_reference_sql_ms``, every timing in
the details, so that two crawls' figures are read against the speed each ran at.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import time
from pathlib import Path

from bench.crawl_compare import code_version, crawl_file, flagged, reference_for
from bench.crawl_focal import focal
from bench.crawl_targets import targets
from bench.machine import machine_reference

ROOT = Path(__file__).resolve().parent.parent
SLOW_MS = 3000


class PageTimeout(BaseException):  # noqa: N818 - past the handler's except Exception
    """A request ran past ``--cap`` seconds (raised inside it by SIGALRM); not an
    ``Exception``, so Django's handler does not turn it into a 500 page."""


#: Whether a query is running, and whether the alarm rang during it.
_IN_QUERY = {"now": False, "rang": False}


def _alarm(signum, frame):
    """Stop the request, but never inside a query (psycopg would be left mid-protocol):
    then it stops as soon as the query returns (``_query_guard``)."""
    if _IN_QUERY["now"]:
        _IN_QUERY["rang"] = True
        return
    raise PageTimeout


def _query_guard(execute, sql, params, many, context):
    _IN_QUERY["now"] = True
    try:
        return execute(sql, params, many, context)
    finally:
        _IN_QUERY["now"] = False
        if _IN_QUERY["rang"]:
            _IN_QUERY["rang"] = False
            raise PageTimeout


def timed_get(client, url: str, cap: float = 0):
    """(response or None when it ran past ``cap`` seconds, milliseconds).

    In a savepoint: a query stopped by ``statement_timeout`` (the cap too) aborts the
    transaction, and rolling back to the savepoint lets the crawl go on."""
    from django.db import connection, transaction
    from psycopg.pq import TransactionStatus

    savepoint = transaction.savepoint()
    if cap:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, cap)
    started = time.perf_counter()
    try:
        response = client.get(url)
        if response.streaming:
            for _ in response.streaming_content:
                pass
    except PageTimeout:
        response = None
    finally:
        if cap:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _IN_QUERY["rang"] = False
    elapsed = (time.perf_counter() - started) * 1000
    if connection.connection.info.transaction_status == TransactionStatus.INERROR:
        transaction.savepoint_rollback(savepoint)
        if response is not None and response.status_code == 500 and elapsed >= cap * 1000:
            response = None  # stopped by statement_timeout
    else:
        transaction.savepoint_commit(savepoint)
    return response, elapsed


#: Pages between two timings of the machine's own speed (``machine_reference``).
REFERENCE_EVERY = 100


def crawl(made: dict, pages, repeat: int, cap: float, references=None) -> list[dict]:
    """A row per (URL, role) of ``pages``, each measured in a transaction of its own
    (``page_in_transaction``); never inside another transaction (that would make them
    all one again)."""
    from django.db import connection

    from ecosystem.accounts import middleware

    if connection.in_atomic_block:
        raise RuntimeError("the crawl opens a transaction per page: call it outside one")
    # The staff session's activity time is written at most once a minute: with the clock
    # standing still it is written once, by a client's warm-up, never inside a counted page.
    frozen = time.time()
    clock, middleware._clock = middleware._clock, lambda: frozen
    rows = []
    try:
        for name, url, roles in pages:
            for role in roles:
                if references is not None and len(rows) % REFERENCE_EVERY == 0:
                    references.append(machine_reference())
                rows.append(page_in_transaction(made, name, url, role, repeat, cap))
                row = rows[-1]
                print(f"{row['ms']:8.1f} ms {row['queries']:4d} q {row['status']} {role:8s} {url}")
    finally:
        middleware._clock = clock
    return rows


def page_in_transaction(made: dict, name: str, url: str, role: str, repeat: int, cap: float):
    """One (URL, role) in a fresh transaction, rolled back after it: a client signed in
    as ``role`` (``force_login``) that has opened the home page, then ``page_row``.
    Nothing the page writes outlives it, and no page sees another's writes."""
    from django.db import connection, transaction
    from django.test import Client

    with transaction.atomic():
        if cap:  # a single query past the cap is stopped by the server
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(cap * 1000)}")
        client = Client(headers={"accept-language": "zh-hans"}, raise_request_exception=False)
        client.force_login(made["people"][role])
        timed_get(client, "/", cap)  # the session's first writes, outside the counted page
        row = page_row(client, name, url, role, repeat, cap)
        transaction.set_rollback(True)
    return row


def page_row(client, name: str, url: str, role: str, repeat: int, cap: float) -> dict:
    """One (URL, role): a warming request, the queries of the next, the median time."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # The query log holds 9,000 queries and is emptied by a request only outside a
    # capture: without this, back-to-back captures fill it and then count nothing.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response, first_ms = timed_get(client, url, cap)
    first_queries = len(captured)  # now: the next request empties the query log
    # A page over SLOW_MS is not requested again: at national size a few take minutes,
    # and a median of five would not change what they show.
    if response is None or first_ms > SLOW_MS:
        timings, queries = [first_ms], first_queries
    else:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response, counted_ms = timed_get(client, url, cap)
        queries = len(captured)
        timings = [counted_ms] + [timed_get(client, url)[1] for _ in range(repeat - 1)]
    return {
        "name": name,
        "url": url,
        "role": role,
        "status": "timeout" if response is None else response.status_code,
        "queries": queries,
        "first_queries": first_queries,
        "ms": round(statistics.median(timings), 1),
        "first_ms": round(first_ms, 1),
        "timed": len(timings),
    }


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="reuse a world of the same size")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    parser.add_argument("--only", default="", help="crawl the URLs holding this text only")
    parser.add_argument(
        "--cap", type=float, default=60, help="stop a request after this many seconds"
    )
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/latest.json")
    args = parser.parse_args(argv)
    from bench.world import ensure

    info = ensure(args.scale, keep=args.keep)
    try:
        return run(args, info)
    finally:
        shutil.rmtree(info["media"], ignore_errors=True)


#: Tables each crawl's rolled-back writes leave dead rows in: the access log an export
#: writes (five timed requests of every export, every run). With autovacuum off (as on
#: this project's machine) 5,014,678 dead rows had built up nationally and the admin's
#: access-log list read them: 271 ms against 79 (docs/performance.md, session 17). The
#: sessions: every role's sign-in, rolled back (12,637 dead rows after session 19's crawls).
BLOATED = ("enterprises_accesslogentry", "django_session")


def vacuum() -> None:
    """``VACUUM (ANALYZE)`` what the crawl bloats, before it and after (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in BLOATED:
            cursor.execute(f"VACUUM (ANALYZE) {table}")  # noqa: S608 - our own names


def run(args, info: dict) -> int:
    import logging

    from django.db import connection

    from bench.results import record

    logging.getLogger("celery").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s of the crawl itself
    load = round(os.getloadavg()[0], 2)
    code = code_version()  # before the crawl: the code it ran on
    started = time.perf_counter()
    made = focal(info)  # committed once, found again by later runs (crawl_focal)
    pages, skipped = targets(made)
    if args.only:
        pages = [p for p in pages if args.only in p[1]]
    vacuum()
    references: list[dict] = []
    with connection.execute_wrapper(_query_guard):
        rows = crawl(made, pages, args.repeat, args.cap, references)
    references.append(machine_reference())
    vacuum()
    seconds = round(time.perf_counter() - started, 1)
    here = crawl_file(ROOT / "bench/results", args.scale, partial=bool(args.only))
    here.write_text(
        json.dumps(
            {
                "scale": args.scale,
                "code": code,
                "partial": bool(args.only),
                "world_built_at": info.get("built_at"),
                "rows": rows,
                "skipped": skipped,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )
    if args.only:
        reference, why = None, "not compared: a partial crawl (--only)"
    else:
        reference, why = reference_for(here, args.scale, code)
    grown, not_compared = flagged(rows, reference) if reference else (None, [])
    ms = [r["ms"] for r in rows]
    prefix = "crawl" if args.scale >= 1 else "crawl_small"
    figures = {
        f"{prefix}_pages": len(rows),
        f"{prefix}_slowest_ms": max(ms),
        f"{prefix}_p95_ms": p95(ms),
        f"{prefix}_max_queries": max(r["queries"] for r in rows),
        f"{prefix}_flagged_pages": None if grown is None else len(grown),
        # The machine's speed through the crawl (``machine_reference``): the median of its
        # timings, before every REFERENCE_EVERY pages and after the last.
        f"{prefix}_reference_python_ms": round(
            statistics.median(r["python"] for r in references), 2
        ),
        f"{prefix}_reference_sql_ms": round(statistics.median(r["sql"] for r in references), 2),
    }
    slowest = sorted(rows, key=lambda r: -r["ms"])[:20]
    not_ok = [f"{r['role']} {r['url']}: {r['status']}" for r in rows if r["status"] != 200]
    timeouts = sum(1 for r in rows if r["status"] == "timeout")
    over = [r for r in rows if r["ms"] >= 150]
    record(
        figures,
        path=args.results,
        bench=prefix,
        details={
            "scale": args.scale,
            "enterprises": info["enterprises"],
            "leads": info["leads"],
            "timed_requests_per_page": args.repeat,
            "crawl_seconds": seconds,
            "load_average_1min_before": load,
            "pages_at_or_over_150_ms": len(over),
            "pages_stopped_at_cap": timeouts,
            "cap_seconds": args.cap,
            "not_200": not_ok,
            "skipped": skipped,
            "code": code,
            "crawl_reference": why,
            "crawl_flagged": grown,
            "crawl_not_compared": not_compared,
            "machine_references_ms": references,
            "slowest_twenty": [
                {k: r[k] for k in ("ms", "queries", "role", "url", "status")} for r in slowest
            ],
        },
    )
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(f"{len(over)} of {len(rows)} pages at or over 150 ms; crawl took {seconds} s")
    if not_ok:
        print("not 200:\n  " + "\n  ".join(not_ok))
    print(f"reference: {why}")
    if grown:
        print("query count differs from the reference:")
        for row in grown:
            print(f"  {row}")
    print(f"written to {args.results}, {args.results.with_suffix('.md')} and {here}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
