"""The issue #19 figures on the national world: inbox, one firm's match, the full rematch
with one and two matching workers, the leads API against ``/healthz/`` on gunicorn.

    python -m bench.national_bench [--scale 1.0] [--keep] [--requests 30] [--samples 50]
                                   [--seconds 20] [--concurrency 8] [--no-rematch]
                                   [--results PATH]

The world is ``bench/world.py``'s (built, or reused with ``--keep``). In order:

(a) the relationship manager of the big bank's branch in the first zone (a third of all
leads are that bank's) opens the inbox and its tabs, and the leads API list with a token:
queries of one request and the median of ``--requests`` (``leads_bench``'s code);
(b) one enterprise's incremental match (``rematch_enterprise_now``, what the
``rematch_enterprise`` task runs, against the 60 current versions): the median over
``--samples`` enterprises with figures;
(c) the full rematch: every 5,000-enterprise range of ``rematch_all`` run through
``rematch_range`` (the task's own code) by a pool of one process, then of two (each a
matching worker's share of the ranges); seconds and pairs per second of each;
(d) gunicorn (2 workers, production settings on loopback) serving ``/healthz/`` and the
leads API to ``--concurrency`` threads for ``--seconds`` each (``leads_bench``/``loopback``).

Figures are written as ``national_*`` keys into the results JSON.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _range_worker(bounds: tuple[int, int]) -> int:
    from django.db import connection

    from ecosystem.financing.tasks.matching import rematch_range

    try:
        return rematch_range(*bounds)
    finally:
        connection.close()


def full_rematch(workers: int) -> tuple[float, int]:
    """Every range of ``rematch_all`` through ``rematch_range`` in ``workers`` processes;
    (seconds, matches written)."""
    from django.db import connections
    from django.db.models import Max, Min

    from ecosystem.enterprises.models import Enterprise
    from ecosystem.financing.tasks.matching import CHUNK

    bounds = Enterprise.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ranges = [(lo, lo + CHUNK) for lo in range(bounds["low"], bounds["high"] + 1, CHUNK)]
    connections.close_all()  # the children open their own
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        written = sum(pool.imap_unordered(_range_worker, ranges))
    return time.perf_counter() - started, written


def one_firm(samples: int) -> tuple[float, list[float]]:
    from ecosystem.enterprises.models import FinancialYear
    from ecosystem.financing.services import rematch_enterprise_now

    ids = list(
        FinancialYear.objects.filter(year=2025)
        .order_by("pk")
        .values_list("enterprise_id", flat=True)
    )
    rng = random.Random(19)  # noqa: S311 - bench sample
    timings = []
    for enterprise_id in rng.sample(ids, min(samples, len(ids))):
        started = time.perf_counter()
        rematch_enterprise_now(enterprise_id=enterprise_id)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="reuse a world of the same size")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-rematch", action="store_true", help="leave out (c)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/latest.json")
    args = parser.parse_args(argv)
    from bench.world import ensure, national_url

    os.environ.setdefault("DB_CONN_MAX_AGE", "60")  # as deployed (see leads_bench)

    info = ensure(args.scale, keep=args.keep)
    os.environ["BENCH_LEADS_DATABASE_URL"] = national_url(args.scale)  # leads_bench's gunicorn
    try:
        return run(args, info)
    finally:
        shutil.rmtree(info["media"], ignore_errors=True)


def run(args, info: dict) -> int:
    import logging

    from bench.feed_floors import staff_token
    from bench.leads_bench import measure_http, measure_in_process
    from bench.results import record
    from ecosystem.accounts.models import User

    logging.getLogger("celery").setLevel(logging.WARNING)
    load = round(os.getloadavg()[0], 2)
    rm = User.objects.get(pk=info["people"]["rm"])
    # An integration token of the RM for the bank's lead feed (DRF's own tokens are gone:
    # accounts migration 0005; importing them failed).
    ids = {"rm": rm.pk, "token": staff_token(info)}
    figures: dict = {}
    inbox = measure_in_process(ids, args.requests)
    sql = {k: inbox.pop(k) for k in [k for k in inbox if k.startswith("_")]}
    figures.update({f"national_{k}": v for k, v in inbox.items()})

    median, timings = one_firm(args.samples)
    figures["national_match_one_ms_median"] = round(median, 2)
    print(f"one firm's match: median {median:.2f} ms over {len(timings)} enterprises")

    pairs = info["counts"]["enterprises"] * info["counts"]["product_versions"]
    rematch_details = {}
    if not args.no_rematch:
        for workers in (1, 2):
            seconds, written = full_rematch(workers)
            figures[f"national_rematch_{workers}_worker_seconds"] = round(seconds, 1)
            figures[f"national_rematch_{workers}_worker_pairs_per_s"] = round(pairs / seconds)
            rematch_details[f"matches_written_{workers}_worker"] = written
            print(f"full rematch, {workers} worker(s): {seconds:.1f} s, {written:,} matches")
        figures["national_rematch_speedup_2_vs_1"] = round(
            figures["national_rematch_1_worker_seconds"]
            / figures["national_rematch_2_worker_seconds"],
            2,
        )

    http = measure_http(ids, seconds=args.seconds, concurrency=args.concurrency)
    figures.update({f"national_{k}": v for k, v in http.items()})
    for key, value in figures.items():
        print(f"{key}: {value}")
    record(
        figures,
        path=args.results,
        bench="national",
        details={
            "scale": args.scale,
            "world": {k: v for k, v in info["counts"].items() if isinstance(v, int)},
            "world_built_seconds": info["built_seconds"],
            "world_rematch_seconds_in_build": info.get("rematch_seconds"),
            "world_reused": info["reused"],
            "rm_branch_leads": _branch_leads(info["branch"]),
            "pairs": pairs,
            **rematch_details,
            "in_process_requests": args.requests,
            "match_samples": len(timings),
            "http_seconds_per_endpoint": args.seconds,
            "http_concurrency": args.concurrency,
            "gunicorn": "2 sync workers, portal.settings.production, PLAIN_HTTP_LOOPBACK=1",
            "load_average_1min_before": load,
            "inbox_sql": sql.get("_inbox_sql"),
            "api_leads_sql": sql.get("_api_leads_sql"),
        },
    )
    print(f"written to {args.results} and {args.results.with_suffix('.md')}")
    return 0


def _branch_leads(branch_id: int) -> int:
    from ecosystem.financing.models import Lead

    return Lead.objects.filter(branch_id=branch_id).count()


if __name__ == "__main__":
    raise SystemExit(main())
