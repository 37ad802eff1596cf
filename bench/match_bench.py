"""Full rematch of N enterprises × 10 products, and the incremental match of one enterprise.

    python -m bench.match_bench [--enterprises 100000] [--samples 50] [--results PATH]

Runs in-process on PostgreSQL (one worker's worth of work: the rematch is the same
function a Celery rematch task calls). The bench data (its own zone, bank, programs,
enterprises, verified years and claims) is generated once and reused.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from bench.import_bench import database_url, ensure_database, setup_django, uscc
from bench.product_terms import varied_terms

ZONE = "bench-match"
BANK = "bench-bank"


def generate(n: int) -> None:
    from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
    from ecosystem.registries.models import Program
    from ecosystem.zones.models import Zone

    zone, _ = Zone.objects.get_or_create(
        code=ZONE, defaults={"name_zh": "基准园区", "city": "基准"}
    )
    have = Enterprise.objects.filter(zone=zone).count()
    if have >= n:
        return
    rng = random.Random(7)  # noqa: S311 - bench data
    programs = list(Program.objects.filter(code__in=["hte", "tsme", "srdi", "little-giant"]))
    start = time.perf_counter()
    batch = 5000
    for low in range(have, n, batch):
        high = min(n, low + batch)
        enterprises = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    uscc=uscc(10_000_000 + i),
                    name=f"基准企业{i}",
                    zone=zone,
                    founded_on=date(2026, 1, 1) - timedelta(days=rng.randint(100, 6000)),
                )
                for i in range(low, high)
            ]
        )
        years, claims = [], []
        for e in enterprises:
            revenue = Decimal(rng.randint(0, 300_000_000))
            rd = (revenue * Decimal(rng.randint(0, 30)) / 100).quantize(Decimal("1"))
            years.append(
                FinancialYear(
                    enterprise=e,
                    year=2025,
                    revenue=revenue,
                    total_costs=revenue + rd,
                    total_assets=revenue,
                    rd_expense=rd,
                    net_profit=Decimal(0),
                    employees=rng.randint(1, 800),
                    rd_staff=0,
                    ip_invention_patents=rng.choice([0, 0, 1, 3]),
                    verification_status="verified" if rng.random() < 0.8 else "unverified",
                )
            )
            for program in rng.sample(programs, rng.randint(0, 2)):
                claims.append(
                    QualificationClaim(
                        enterprise=e,
                        program=program,
                        year=2025,
                        certificate_number="B",
                        status="verified",
                    )
                )
        FinancialYear.objects.bulk_create(years)
        QualificationClaim.objects.bulk_create(claims)
    # Statistics now, before products() rematches: on a fresh database the planner would
    # otherwise take the new tables for empty (a facts query ran for minutes that way).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {n - have} enterprises in {time.perf_counter() - start:.1f} s")


def products() -> list[int]:
    from ecosystem.accounts.models import User
    from ecosystem.financing.models import Bank
    from ecosystem.financing.services import product_save

    bank, _ = Bank.objects.get_or_create(code=BANK, defaults={"name_zh": "基准银行"})
    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email="bench@example.com", password=None
    )
    ids = []
    for k in range(10):
        version = product_save(
            bank=bank,
            actor=actor,
            code=f"bench-{k}",
            name_zh=f"基准产品{k}",
            **varied_terms(k),
        )
        ids.append(version.product_id)
    return ids


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--results", default="bench/results/latest.json")
    args = parser.parse_args(argv)
    ensure_database(database_url())
    media = tempfile.mkdtemp(prefix="kejinlink-bench-")
    try:
        setup_django(media)
        return run(args)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def run(args) -> int:
    from django.db import connection

    from bench.results import record
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.financing.eligibility.matcher import rematch
    from ecosystem.financing.models import Match

    generate(args.enterprises)
    product_ids = products()
    ids = list(
        Enterprise.objects.filter(zone__code=ZONE)
        .order_by("pk")
        .values_list("pk", flat=True)[: args.enterprises]
    )
    low, high = ids[0], ids[-1] + 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    start = time.perf_counter()
    rematch(id_range=(low, high), product_ids=product_ids)
    full = time.perf_counter() - start
    matches = Match.objects.filter(product_id__in=product_ids).count()
    pairs = len(ids) * len(product_ids)
    rng = random.Random(11)  # noqa: S311
    timings = []
    for enterprise_id in rng.sample(ids, min(args.samples, len(ids))):
        t0 = time.perf_counter()
        rematch(enterprise_ids=[enterprise_id], product_ids=product_ids)
        timings.append((time.perf_counter() - t0) * 1000)
    figures = {
        "rematch_100k_seconds"
        if args.enterprises == 100_000
        else f"rematch_{args.enterprises}_seconds": round(full, 2),
        "rematch_pairs_per_s": round(pairs / full),
        "match_one_ms_median": round(statistics.median(timings), 2),
    }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    record(
        figures,
        path=Path(args.results),
        bench="match",
        details={
            "enterprises": len(ids),
            "products": len(product_ids),
            "matches": matches,
            "samples": len(timings),
            "peak_rss_mb": peak,
        },
    )
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(f"matches: {matches} of {pairs} pairs; peak RSS {peak} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
