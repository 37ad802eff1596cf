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
leadership and a supplier link, a staff invitation) are made through the services at the
start, in a transaction rolled back at the end: the world stays as built.

In-process, through Django's test client signed in with ``force_login`` (the suite's way;
staff have a TOTP authenticator), DEBUG off. For each (URL, role): the SQL queries of one
request (``CaptureQueriesContext``; it also warms the page), then ``--repeat`` timed
requests (a streamed export read to its end): the median is the page's server time. A
page whose first request took over ``SLOW_MS`` (3 s) is not timed again (its figure is that
request), and a request still running after ``--cap`` seconds (60) is stopped (SIGALRM)
and recorded as ``timeout`` with the cap as its time (a single query past it is stopped by
``statement_timeout``; each request runs in a savepoint, so the crawl goes on): at national
size a few dashboards compute over every lead in Python, or run one query, for minutes.

Writes ``crawl_pages``, ``crawl_slowest_ms``, ``crawl_p95_ms``, ``crawl_max_queries``
(``crawl_small_*`` at a scale below 1) to the results JSON, the slowest twenty to the
markdown, and every row to ``bench/results/crawl-<scale>.json``. When the crawl of another
scale is there too (the smallest is taken), a page whose query count differs between the
two is flagged as growing with rows.
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

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("member", "official", "registry", "rm", "manager", "admin")
BATCH = "2025年第一批"
SLOW_MS = 3000


def focal(info: dict) -> dict:
    """The objects the matrix's URLs point at, in the national world; what a generated
    world lacks is made through the services (the caller rolls it back)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from ecosystem.accounts.models import Invitation, Membership, User
    from ecosystem.accounts.roles import Role
    from ecosystem.chains import services as chain_services
    from ecosystem.chains.models import Chain, ChainNode
    from ecosystem.enterprises.models import Consent, Enterprise, FinancialYear
    from ecosystem.enterprises.services import financing_need_create
    from ecosystem.financing import services as financing
    from ecosystem.financing.models import CampaignInvitation, Lead, Match, Product
    from ecosystem.registries import services as registry_services
    from ecosystem.registries.models import Program, RegistryEntry
    from tests.worlds.registry_files import csv_bytes, rows_for
    from tests.worlds.zone import submit_claim

    people = {role: User.objects.get(pk=pk) for role, pk in info["people"].items()}
    enterprise = Enterprise.objects.get(pk=info["enterprise"])
    member = people["member"]
    lead = Lead.objects.get(enterprise=enterprise, bank_id=info["bank"])
    product = Product.objects.filter(bank_id=info["bank"]).order_by("pk").first()
    version = product.current_version
    match = Match.objects.filter(enterprise=enterprise, product_version=version).first()
    if match is None:
        match = Match.objects.create(
            enterprise=enterprise,
            product_version=version,
            product=product,
            score=60,
            indicative_limit=Decimal(1_000_000),
            computed_at=timezone.now(),
        )
    hte = Program.objects.get(code="hte")
    claim, _ = submit_claim(enterprise=enterprise, program=Program.objects.get(code="tsme"))
    need = financing_need_create(
        enterprise=enterprise,
        actor=member,
        amount=Decimal(2_000_000),
        term_months=12,
        purpose="working_capital",
    )
    campaign = financing.campaign_create(product=product, actor=people["manager"])
    invitation = CampaignInvitation.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        indicative_limit=Decimal(1_000_000),
        expires_at=timezone.now() + timedelta(days=14),
    )
    campaign.status = "sent"
    campaign.sent_at = timezone.now()
    campaign.save(update_fields=["status", "sent_at"])
    list_import = registry_services.list_import_upload(
        actor=people["registry"],
        program=hte,
        batch="2026年第二批",
        upload=SimpleUploadedFile("名单.csv", csv_bytes(rows_for(3))),
    )
    chain = Chain.objects.get(code="ic")
    leader = chain_services.leader_designate(
        chain=chain, enterprise=enterprise, actor=people["official"]
    )
    supplier = Enterprise.objects.filter(zone_id=info["zone"]).exclude(pk=enterprise.pk).first()
    supplier_member = User.objects.create(email="supplier@national.invalid")
    Membership.objects.create(user=supplier_member, enterprise=supplier, role=Role.ENTERPRISE_OWNER)
    link = chain_services.link_request(leader=leader, supplier=supplier, actor=supplier_member)
    staff_invitation = Invitation.objects.create(
        email="new-official@national.invalid",
        role=Role.ZONE_OFFICIAL,
        zone_id=info["zone"],
        invited_by=people["admin"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    year = FinancialYear.objects.filter(enterprise=enterprise).order_by("-year").first()
    objects = {
        "enterprise": enterprise,
        "claim": claim,
        "evidence": claim.evidence.first(),
        "year": year,
        "lead": lead,
        "offer": lead.offers.first(),
        "match": match,
        "need": need,
        "consent": Consent.objects.filter(
            enterprise=enterprise, bank_id=info["bank"], revoked_at__isnull=True
        ).first(),
        "program": hte,
        "product": product,
        "campaign": campaign,
        "invitation": invitation,
        "import": list_import,
        "own_entry": RegistryEntry.objects.filter(program=hte, uscc=enterprise.uscc).first(),
        "chain": chain,
        "node": ChainNode.objects.filter(chain=chain).order_by("pk").first(),
        "leader": leader,
        "link": link,
    }
    values = {"year": year.year, "token": staff_invitation.token}
    return {"people": people, "objects": objects, "values": values}


def targets(made: dict):
    """(name, url, roles) of every GET entry of the matrix, and of every admin page."""
    from tests.worlds.permission_matrix import ADMIN_GROUP, MATRIX
    from tests.worlds.permission_matrix.runner import admin_urls
    from tests.worlds.permission_matrix.world import World

    class National(World):
        """The matrix world's URL building over the national world's objects."""

        def __init__(self, objects: dict, values: dict) -> None:  # noqa: D107
            self.objects = {k: v for k, v in objects.items() if v is not None}
            self.arguments = {
                "enterprise_pk": "enterprise",
                "claim_pk": "claim",
                "evidence_pk": "evidence",
                "need_pk": "need",
                "consent_pk": "consent",
                "program_pk": "program",
                "match_pk": "match",
                "invitation_pk": "invitation",
                "offer_pk": "offer",
                "product_pk": "product",
                "campaign_pk": "campaign",
                "lead_pk": "lead",
                "leader_pk": "leader",
                "link_pk": "link",
                "node_pk": "node",
                "code": "chain",
            }
            self.values = {
                "fmt": "csv",
                "step": "code",
                "key": "not-a-key",
                "uidb36": "zz",
                **values,
            }
            self.queries = {"batch": {"batch": BATCH}}

    world = National(made["objects"], made["values"])
    out, skipped = [], []
    for name, entry in sorted(MATRIX.items()):
        if entry.unsafe:
            continue
        roles = [role for role in ROLES if entry.expected(role) == 200]
        if not roles:
            continue
        try:
            url = world.url(name, entry)
        except KeyError as missing:
            skipped.append(f"{name} (no {missing})")
            continue
        query = world.queries.get(entry.query, {})
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        out.append((name, url, roles))
    admin_roles = [role for role in ROLES if ADMIN_GROUP.expected(role) == 200]
    out += [(f"admin {url}", url, admin_roles) for url in admin_urls()]
    return out, skipped


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


def crawl(made: dict, pages, repeat: int, cap: float) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for role in ROLES:
        clients[role] = Client(
            headers={"accept-language": "zh-hans"}, raise_request_exception=False
        )
        clients[role].force_login(made["people"][role])
    rows = []
    for name, url, roles in pages:
        for role in roles:
            client = clients[role]
            with CaptureQueriesContext(connection) as captured:
                response, first_ms = timed_get(client, url, cap)
            queries = len(captured)  # now: the next request empties the query log
            # A page over SLOW_MS is not timed again: at national size a few take minutes,
            # and a median of five would not change what they show.
            if response is None or first_ms > SLOW_MS:
                timings = [first_ms]
            else:
                timings = [timed_get(client, url)[1] for _ in range(repeat)]
            rows.append(
                {
                    "name": name,
                    "url": url,
                    "role": role,
                    "status": "timeout" if response is None else response.status_code,
                    "queries": queries,
                    "ms": round(statistics.median(timings), 1),
                    "first_ms": round(first_ms, 1),
                    "timed": len(timings),
                }
            )
            row = rows[-1]
            print(f"{row['ms']:8.1f} ms {row['queries']:4d} q {row['status']} {role:8s} {url}")
    return rows


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def growing(rows: list[dict], here: Path) -> list[dict]:
    """Pages whose query count differs from the crawl of another scale (if one is there)."""
    others = [json.loads(p.read_text()) for p in here.parent.glob("crawl-*.json") if p != here]
    if not others:
        return []
    other = min(others, key=lambda crawl: crawl["scale"])  # the fewest rows
    theirs = {(r["name"], r["role"]): r["queries"] for r in other["rows"]}
    return [
        {
            "name": r["name"],
            "role": r["role"],
            "queries": r["queries"],
            "queries_at_" + str(other["scale"]): theirs[(r["name"], r["role"])],
        }
        for r in rows
        if (r["name"], r["role"]) in theirs and theirs[(r["name"], r["role"])] != r["queries"]
    ]


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


def run(args, info: dict) -> int:
    import logging

    from django.db import connection, transaction

    from bench.results import record

    logging.getLogger("celery").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s of the crawl itself
    load = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    with transaction.atomic():
        made = focal(info)
        pages, skipped = targets(made)
        if args.only:
            pages = [p for p in pages if args.only in p[1]]
        if args.cap:  # a single query past the cap is stopped by the server
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(args.cap * 1000)}")
        with connection.execute_wrapper(_query_guard):
            rows = crawl(made, pages, args.repeat, args.cap)
        transaction.set_rollback(True)
    seconds = round(time.perf_counter() - started, 1)
    # A partial crawl (--only) is no reference for another scale's: it goes elsewhere.
    partial = "_only" if args.only else ""  # not matched by growing()'s crawl-*.json
    here = ROOT / f"bench/results/crawl{partial}-{args.scale:g}.json"
    here.write_text(
        json.dumps(
            {"scale": args.scale, "rows": rows, "skipped": skipped}, ensure_ascii=False, indent=1
        )
        + "\n"
    )
    grown = [] if args.only else growing(rows, here)
    ms = [r["ms"] for r in rows]
    prefix = "crawl" if args.scale >= 1 else "crawl_small"
    figures = {
        f"{prefix}_pages": len(rows),
        f"{prefix}_slowest_ms": max(ms),
        f"{prefix}_p95_ms": p95(ms),
        f"{prefix}_max_queries": max(r["queries"] for r in rows),
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
            "query_count_grows": grown,
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
    if grown:
        print("query count differs from the other scale:")
        for row in grown:
            print(f"  {row}")
    print(f"written to {args.results}, {args.results.with_suffix('.md')} and {here}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
