"""The three #19 targets the feed work missed, each beside its floor: what the same work
costs with the framework, the database and the disk alone.

    python -m bench.feed_floors [--scale 0.1] [--keep] [--requests 30] [--samples 50]
                                [--seconds 10] [--concurrency 8] [--results PATH]

On ``bench/world.py``'s world (built, or reused with ``--keep``), in process with DEBUG
off unless said otherwise:

(a) the relationship manager's inbox ("mine" and the team tab): the median request, its
queries and the time spent in them (``feed_inbox_*``); its floors: the same statements
replayed alone on a cursor (``…_floor_sql_ms``), the page's template rendered alone with
the view's context (``…_floor_template_ms``, its context processors included), and a
signed-in request to ``/healthz/`` (``feed_signed_in_floor_ms``: session, user, scope and
second-factor middleware, no view work);
(b) the leads API list with an integration token: in process as (a); then gunicorn (2
sync workers, production settings on loopback, ``bench.floor_settings``) serves, in the
same run, ``/healthz/``, the floor views of ``bench/floor_urls.py`` (the same page of
JSON as bytes; through DRF without authentication; through DRF with the API's own
authentication and permissions; that, plus the list's own statements replayed as one
request ran them, ``sql``) and the real list, each to ``--concurrency`` clients for
``--seconds``: requests per second and the ratio of each to ``/healthz/``
(``feed_http_*``);
(c) one enterprise's incremental match (``rematch_enterprise_now``, 60 versions): the
median over ``--samples`` enterprises, its statements and their time; its floors: the
statements replayed in one transaction (``feed_match_floor_sql_ms``, the commit's disk
flush included, ``feed_commit_ms``) and as many ``SELECT 1`` round trips
(``feed_match_floor_roundtrips_ms``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pickle
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(fn, n: int) -> float:
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


class Statements:
    """Every statement a call runs, with its parameters and wall time (ms)."""

    def __init__(self):
        self.rows: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.rows.append((sql, params, (time.perf_counter() - started) * 1000))

    @property
    def ms(self) -> float:
        return sum(row[2] for row in self.rows)


def traced(fn) -> Statements:
    from django.db import connection

    statements = Statements()
    with connection.execute_wrapper(statements):
        fn()
    return statements


def sql_of(fn, n: int) -> tuple[int, float]:
    """(queries of one call, median ms spent in them over ``n`` calls)."""
    runs = [traced(fn) for _ in range(n)]
    return len(runs[0].rows), round(statistics.median(r.ms for r in runs), 2)


def replay(statements: Statements, n: int, *, atomic: bool = False) -> float:
    """Median ms of running the same statements again on a bare cursor."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            if atomic:
                cursor.execute("BEGIN")
            for sql, params, _ms in statements.rows:
                if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
                    continue
                cursor.execute(sql, params)
            if atomic:
                cursor.execute("COMMIT")

    return median_ms(run, n)


def staff_token(info: dict) -> str:
    """An integration token of the world's relationship manager for the big bank's lead
    feed (only its digest is stored); the key to send."""
    from datetime import timedelta

    from django.utils import timezone

    from ecosystem.accounts.models import StaffToken, User, token_digest

    rm = User.objects.get(pk=info["people"]["rm"])
    key = f"kjt_bench_world_{info['bank']}"
    StaffToken.objects.update_or_create(
        digest=token_digest(key),
        defaults={
            "user": rm,
            "name": "bench lead feed",
            "kind": StaffToken.Kind.LEAD_FEED,
            "bank_id": info["bank"],
            "prefix": key[:8],
            "expires_at": timezone.now() + timedelta(days=1),
        },
    )
    return key


def template_floor(get, n: int) -> float:
    """Median ms of rendering the inbox's template alone, with the context the view
    gave it (captured from one request)."""
    from django.shortcuts import render as django_render
    from django.template.loader import render_to_string

    # The package's ``lead_inbox`` names the view; the module is wanted here.
    inbox_view = importlib.import_module("ecosystem.financing.views.lead_inbox")
    seen = {}

    def capture(request, template, context, **kw):
        seen.update(request=request, template=template, context=context)
        return django_render(request, template, context, **kw)

    inbox_view.render, original = capture, inbox_view.render
    try:
        get()
    finally:
        inbox_view.render = original
    return median_ms(
        lambda: render_to_string(seen["template"], seen["context"], seen["request"]), n
    )


def inbox(info: dict, n: int) -> dict:
    from django.test import Client

    from ecosystem.accounts.models import User

    browser = Client()
    browser.force_login(User.objects.get(pk=info["people"]["rm"]))
    out: dict = {}
    for key, path in (("inbox", "/financing/leads/"), ("inbox_team", "/financing/leads/?tab=team")):
        get = lambda path=path: browser.get(path)  # noqa: E731
        if get().status_code != 200:
            raise SystemExit(f"{path} did not answer 200")
        out[f"feed_{key}_ms_median"] = median_ms(get, n)
        out[f"feed_{key}_queries"], out[f"feed_{key}_sql_ms"] = sql_of(get, max(5, n // 3))
        out[f"feed_{key}_floor_sql_ms"] = replay(traced(get), n)
        out[f"feed_{key}_floor_template_ms"] = template_floor(get, n)
    healthz = lambda: browser.get("/healthz/")  # noqa: E731
    healthz()
    out["feed_signed_in_floor_ms"] = median_ms(healthz, n)
    out["feed_signed_in_floor_queries"] = sql_of(healthz, 3)[0]
    return out


#: The list's own statements (what ``bench/floor_urls.py``'s ``sql`` floor replays): its
#: page, access log and offers; not the token's look-up nor the scope, which the floor's
#: own authentication runs.
API_TABLES = ("financing_lead", "enterprises_accesslogentry", "financing_offer")


def api_statements(statements: Statements) -> list[tuple[str, list]]:
    own = [
        (sql, list(params or ()))
        for sql, params, _ms in statements.rows
        if any(f"FROM {t}" in sql or f"INTO {t}" in sql or f'"{t}"' in sql for t in API_TABLES)
        and "accounts_stafftoken" not in sql
    ]
    # The page always; the access-log insert when the page shows a consenting firm, the
    # offers when it holds a lead (three on the national world's first page).
    if not own or not own[0][0].lstrip().startswith("SELECT"):
        raise SystemExit(f"the leads API's own statements were not found: {own}")
    print(f"  the sql floor replays {len(own)} statements: " + "; ".join(q[:40] for q, _ in own))
    return own


def api_in_process(key: str, n: int) -> tuple[dict, bytes, list]:
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    path = "/api/v1/financing/leads/"
    get = lambda: api.get(path)  # noqa: E731
    response = get()
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    out = {"feed_api_ms_median": median_ms(get, n)}
    out["feed_api_queries"], out["feed_api_sql_ms"] = sql_of(get, max(5, n // 3))
    statements = traced(get)
    out["feed_api_floor_sql_ms"] = replay(statements, n)
    return out, response.content, api_statements(statements)


def api_http(
    url: str, key: str, page: bytes, statements: list, *, seconds: float, concurrency: int
) -> dict:
    from bench.loopback import Gunicorn, hammer

    with (
        tempfile.NamedTemporaryFile(prefix="bench-floor-", suffix=".json") as f,
        tempfile.NamedTemporaryFile(prefix="bench-floor-", suffix=".pickle") as sql,
    ):
        f.write(page)
        f.flush()
        pickle.dump(statements, sql)
        sql.flush()
        env = {"FLOOR_PAGE_JSON": f.name, "FLOOR_PAGE_SQL": sql.name}
        with Gunicorn(database_url=url, settings="bench.floor_settings", env=env) as server:
            auth = {"Authorization": f"Token {key}"}
            paths = {
                "hello": ("/healthz/", None),
                "plain": ("/bench-floor/plain/", None),
                "drf": ("/bench-floor/drf/", None),
                "token": ("/bench-floor/token/", auth),
                "sql": ("/bench-floor/sql/", auth),
                "api": ("/api/v1/financing/leads/", auth),
            }
            for path, headers in paths.values():  # every worker warm on every path
                hammer(
                    server.base + path,
                    seconds=min(1.0, seconds / 4),
                    concurrency=4,
                    headers=headers,
                )
            runs = {
                name: hammer(
                    server.base + path, seconds=seconds, concurrency=concurrency, headers=headers
                )
                for name, (path, headers) in paths.items()
            }
    for name, run in runs.items():
        print(f"  {name}: {run}")
        if run["errors"]:
            raise SystemExit(f"HTTP errors on {name}")
    hello = runs["hello"]["rps"]
    out = {f"feed_http_{name}_rps": run["rps"] for name, run in runs.items()}
    out.update({f"feed_http_{name}_p50_ms": run["p50_ms"] for name, run in runs.items()})
    out.update({f"feed_http_{name}_vs_hello": round(runs[name]["rps"] / hello, 3) for name in runs})
    return out


def match(samples: int) -> dict:
    import random

    from django.db import connection

    from ecosystem.enterprises.models import FinancialYear
    from ecosystem.financing.services import rematch_enterprise_now

    ids = list(
        FinancialYear.objects.filter(year=2025)
        .order_by("pk")
        .values_list("enterprise_id", flat=True)
    )
    chosen = random.Random(19).sample(ids, min(samples, len(ids)))  # noqa: S311 - a sample
    rematch_enterprise_now(enterprise_id=chosen[0])  # compiles the versions once
    timings, sql_ms, traces = [], [], []
    for enterprise_id in chosen:
        started = time.perf_counter()
        trace = traced(
            lambda enterprise_id=enterprise_id: rematch_enterprise_now(enterprise_id=enterprise_id)
        )
        timings.append((time.perf_counter() - started) * 1000)
        sql_ms.append(trace.ms)
        traces.append(trace)
    # The floors replay an enterprise that has matches (its insert and commit write).
    last = next(
        (t for t in reversed(traces) if any(r[0].startswith("INSERT") for r in t.rows)),
        traces[-1],
    )
    out = {
        "feed_match_one_ms_median": round(statistics.median(timings), 2),
        "feed_match_one_sql_ms": round(statistics.median(sql_ms), 2),
        "feed_match_one_queries": len(last.rows),
        "feed_match_floor_sql_ms": replay(last, samples, atomic=True),
    }
    writes = [row for row in last.rows if row[0].startswith("INSERT")]

    def round_trips():
        with connection.cursor() as cursor:
            for _ in last.rows:
                cursor.execute("SELECT 1")

    out["feed_match_floor_roundtrips_ms"] = median_ms(round_trips, samples)

    def commit_only():
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            for sql, params, _ms in writes:
                cursor.execute(sql, params)  # the matches upserted again: a write
            started = time.perf_counter()
            cursor.execute("COMMIT")
            return (time.perf_counter() - started) * 1000

    out["feed_commit_ms"] = round(statistics.median(commit_only() for _ in range(samples)), 2)
    print(
        "  one firm's statements: "
        + "; ".join(f"{ms:.2f} ms {sql[:50]}" for sql, _p, ms in last.rows)
    )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--keep", action="store_true", help="reuse a world of the same size")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/latest.json")
    parser.add_argument(
        "--prefix", default="feed_", help="of every key written (national runs: national_feed_)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")  # as deployed (see leads_bench)
    from bench.world import ensure, national_url

    info = ensure(args.scale, keep=args.keep)
    try:
        return run(args, info, national_url(args.scale))
    finally:
        shutil.rmtree(info["media"], ignore_errors=True)


def run(args, info: dict, url: str) -> int:
    import logging

    from bench.results import record

    logging.getLogger("celery").setLevel(logging.WARNING)
    load = [round(x, 2) for x in os.getloadavg()]
    key = staff_token(info)
    figures = inbox(info, args.requests)
    api, page, statements = api_in_process(key, args.requests)
    figures.update(api)
    figures.update(match(args.samples))
    figures.update(
        api_http(url, key, page, statements, seconds=args.seconds, concurrency=args.concurrency)
    )
    load_after = [round(x, 2) for x in os.getloadavg()]
    figures = {args.prefix + k.removeprefix("feed_"): v for k, v in figures.items()}
    for name, value in figures.items():
        print(f"{name}: {value}")
    record(
        figures,
        path=args.results,
        bench=args.prefix + "floors",
        details={
            "scale": args.scale,
            "world_leads": info["counts"]["leads"],
            "requests": args.requests,
            "match_samples": args.samples,
            "http_seconds_per_endpoint": args.seconds,
            "http_concurrency": args.concurrency,
            "gunicorn": "2 sync workers, bench.floor_settings (production + floor views)",
            "load_average_before": json.dumps(load),
            "load_average_after": json.dumps(load_after),
        },
    )
    print(f"written to {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
