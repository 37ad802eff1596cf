"""Dashboards on the national world: the bank (RM, manager), zone and platform pages
and APIs, read from the lead summary tables; and, for comparison, the bank dashboard's
figures counted lead by lead (the old way, one run: it takes seconds to minutes).

    python -m bench.summary_bench [--scale 1.0] [--keep] [--repeat 5] [--old]

Server time in process (Django's test client, ``force_login``), median of ``--repeat``,
with each page's SQL query count; figures go to ``bench/results/latest.json``
(``summary_*``) with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    ("bank_rm", "rm", "/financing/bank/dashboard/"),
    ("bank_manager", "manager", "/financing/bank/dashboard/"),
    ("bank_api_manager", "manager", "/api/v1/financing/dashboard/"),
    ("bank_admin", "admin", "/financing/bank/dashboard/"),
    ("zone_official", "official", "/zones/dashboard/"),
    ("zone_api_official", "official", "/api/v1/zones/dashboard/"),
    ("platform_admin", "admin", "/platform/dashboard/"),
    ("platform_api_admin", "admin", "/api/v1/platform/dashboard/"),
)


def timed(client, url: str, repeat: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    return statistics.median(times), queries, status


def old_bank_figures(user_id: int) -> float:
    """The bank dashboard's tables counted lead by lead (the code before the summary)."""
    from django.utils import timezone

    from ecosystem.accounts.models import User
    from ecosystem.financing.selectors.leads import bank_leads_of
    from ecosystem.insights.views.bank import dashboard_tables

    leads = bank_leads_of(user=User.objects.get(pk=user_id)).prefetch_related(None)
    started = time.perf_counter()
    dashboard_tables(leads, now=timezone.now(), scope=None)
    return (time.perf_counter() - started) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--old", action="store_true", help="also time the lead-by-lead way")
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/latest.json")
    args = parser.parse_args(argv)
    from bench.world import ensure

    info = ensure(args.scale, keep=args.keep)
    try:
        from django.test import Client

        from bench.results import record

        load = os.getloadavg()[0]
        figures: dict = {}
        clients = {}
        for name, role, url in PAGES:
            if role not in clients:
                clients[role] = Client(headers={"accept-language": "zh-hans"})
                from ecosystem.accounts.models import User

                clients[role].force_login(User.objects.get(pk=info["people"][role]))
            ms, queries, status = timed(clients[role], url, args.repeat)
            figures[f"summary_{name}_ms_median"] = round(ms, 1)
            figures[f"summary_{name}_queries"] = queries
            print(f"{name:20} {url:35} {status} {ms:9.1f} ms {queries:3} queries")
        if args.old:
            for role in ("rm", "manager"):
                ms = old_bank_figures(info["people"][role])
                figures[f"summary_old_bank_{role}_ms"] = round(ms, 1)
                print(f"old (lead by lead) bank dashboard tables, {role}: {ms:.1f} ms")
        figures["summary_load_1min_before"] = round(load, 2)
        record(
            figures,
            path=args.results,
            bench="summary",
            details={"scale": args.scale, "leads": info["counts"]["leads"]},
        )
    finally:
        shutil.rmtree(info["media"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
