"""The relationship manager's inbox and the leads API with 100,000 leads in the database.

    python -m bench.leads_bench [--leads 100000] [--requests 30] [--seconds 20]
                                [--concurrency 8] [--results PATH]

(a) In-process (Django test client, ``portal.settings`` with DEBUG off): a relationship
manager with an enrolled TOTP authenticator, signed in as the suite signs staff in
(``force_login``), opens ``/financing/leads/`` ``--requests`` times; the median time and
the queries of one request (``CaptureQueriesContext``) are reported, and the same for one
``GET /api/v1/financing/leads/`` with the RM's API token.
(b) Over HTTP: gunicorn (2 sync workers, ``portal.settings.production`` on loopback) serves
``/healthz/`` (a trivial view) and the leads API list to ``--concurrency`` client threads
for ``--seconds`` each, in the same run; requests per second of each and their ratio, and
the peak resident memory of the gunicorn workers, sampled every 0.2 s.

Database: ``BENCH_LEADS_DATABASE_URL``, else
postgres://postgres@127.0.0.1:5432/kejinlink_bench_leads (created and migrated when
missing). Its data is generated once per size (its own zone, bank, branch, five products,
``leads / 5`` enterprises, the leads, consents for half the enterprises, offers on the
leads with an offer) and reused.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bench.loopback import Gunicorn, hammer

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kejinlink_bench_leads"
ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = 5
#: Share of each lead status, in the order drawn (the rest is "new", unassigned).
STATUS_MIX = [
    ("assigned", 0.20),
    ("contacted", 0.15),
    ("offer_made", 0.10),
    ("declined", 0.10),
    ("disbursed", 0.10),
    ("withdrawn", 0.05),
]


def lead_clocks(due) -> dict:
    """A generated lead's clocks: first contact due at ``due``, the decision two days on
    (the services set them in working time; the bench only needs them filled)."""
    return {"due_at": due, "first_contact_due_at": due, "decision_due_at": due + timedelta(days=2)}


def leads_url() -> str:
    return os.environ.get("BENCH_LEADS_DATABASE_URL") or DEFAULT_URL


def tag(n: int) -> str:
    """Every generated object carries the dataset size, so sizes live side by side."""
    return f"bench-leads-{n}"


def seed(n: int) -> dict:
    """Generate (once) ``n`` leads on one branch; return the ids the bench needs."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.import_bench import uscc
    from ecosystem.accounts.models import Membership, StaffToken, User, token_digest
    from ecosystem.accounts.roles import Role
    from ecosystem.enterprises.models import Consent, Enterprise
    from ecosystem.financing.models import Bank, Branch, Lead, Offer, ProductVersion
    from ecosystem.financing.services import product_save
    from ecosystem.zones.models import Zone

    name = tag(n)
    zone, _ = Zone.objects.get_or_create(code=name, defaults={"name_zh": name, "city": "基准"})
    bank, _ = Bank.objects.get_or_create(code=name, defaults={"name_zh": f"基准银行{n}"})
    branch, _ = Branch.objects.get_or_create(bank=bank, code="branch", defaults={"name_zh": "支行"})
    branch.zones.add(zone)
    users = {}
    for who, role in (("rm", Role.BANK_RM), ("rm2", Role.BANK_RM), ("manager", Role.BANK_MANAGER)):
        user, created = User.objects.get_or_create(email=f"{who}@{name}.invalid")
        if created:
            user.set_unusable_password()
            user.save()
        fields = {"bank": bank, "branch": branch} if role == Role.BANK_RM else {"bank": bank}
        Membership.objects.get_or_create(user=user, role=role, defaults=fields)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        users[who] = user
    # The bank's lead feed, as an integration reads it; a fixed key, so a later run can
    # send it (only its digest is stored). A bench database is never a real one.
    key = f"kjt_bench_{name}"
    StaffToken.objects.update_or_create(
        digest=token_digest(key),
        defaults={
            "user": users["rm"],
            "name": "bench lead feed",
            "kind": StaffToken.Kind.LEAD_FEED,
            "bank": bank,
            "prefix": key[:8],
            "expires_at": timezone.now() + timedelta(days=1),
        },
    )

    have = Lead.objects.filter(bank=bank).count()
    if have >= n:
        return {"rm": users["rm"].pk, "token": key, "bank": bank.pk}
    if have:
        raise SystemExit(f"{have} leads of {name} exist, fewer than {n}: drop the database")

    started = time.perf_counter()
    versions = []
    for k in range(PRODUCTS):
        version = product_save(
            bank=bank,
            actor=users["manager"],
            code=f"p{k}",
            name_zh=f"基准产品{k}",
            kind="unsecured",
            amount_min=Decimal(500_000),
            amount_max=Decimal(30_000_000),
            term_min_months=6,
            term_max_months=36,
            rate_min=Decimal("3.0"),
            rate_max=Decimal("4.5"),
            limit_basis="fixed",
            limit_factor=Decimal(3_000_000),
        )
        versions.append(ProductVersion.objects.get(pk=version.pk))
    rng = random.Random(n)  # noqa: S311 - bench data
    now = timezone.now()
    enterprises_n = -(-n // PRODUCTS)
    batch = 10_000
    with transaction.atomic():
        enterprise_ids: list[int] = []
        for low in range(0, enterprises_n, batch):
            created = Enterprise.objects.bulk_create(
                [
                    Enterprise(
                        uscc=uscc(50_000_000 + n + i),
                        name=f"基准线索企业{n}-{i}",
                        zone=zone,
                        contact_name="联系人",
                        contact_phone="13800000000",
                        contact_email=f"firm{i}@{name}.invalid",
                    )
                    for i in range(low, min(enterprises_n, low + batch))
                ]
            )
            enterprise_ids += [e.pk for e in created]
        Consent.objects.bulk_create(
            [
                Consent(
                    enterprise_id=eid,
                    bank=bank,
                    purpose="financing",
                    text_version="v1",
                    granted_at=now,
                )
                for eid in enterprise_ids[::2]
            ]
        )
        leads: list[Lead] = []
        for i in range(n):
            version = versions[i % PRODUCTS]
            draw, status, assigned = rng.random(), "new", None
            for candidate, share in STATUS_MIX:
                if draw < share:
                    status = candidate
                    break
                draw -= share
            if status != "new":
                assigned = users["rm"] if rng.random() < 0.5 else users["rm2"]
            leads.append(
                Lead(
                    enterprise_id=enterprise_ids[i // PRODUCTS],
                    zone=zone,
                    product_id=version.product_id,
                    product_version=version,
                    bank=bank,
                    branch=branch,
                    status=status,
                    source="apply",
                    indicative_limit=Decimal(rng.randrange(50, 3000) * 10_000),
                    assigned_to=assigned,
                    **lead_clocks(now + timedelta(hours=rng.randint(-240, 72))),
                )
            )
            if len(leads) == batch:
                Lead.objects.bulk_create(leads)
                leads = []
        if leads:
            Lead.objects.bulk_create(leads)
        with connection.cursor() as cursor:
            # Spread creation and change times over a year, as a live bank's leads are.
            cursor.execute(
                "UPDATE financing_lead SET created_at = now() - (id %% 365) * interval '1 day', "
                "updated_at = now() - (id %% 365) * interval '1 day' + interval '1 hour' "
                "WHERE bank_id = %s",
                [bank.pk],
            )
        offered = Lead.objects.filter(bank=bank, status="offer_made").values_list("pk", flat=True)
        Offer.objects.bulk_create(
            [
                Offer(
                    lead_id=pk,
                    amount=Decimal(1_000_000),
                    rate=Decimal("3.5"),
                    term_months=12,
                    valid_until=now + timedelta(days=14),
                    created_by=users["rm"],
                )
                for pk in offered
            ],
            batch_size=batch,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {n} leads in {time.perf_counter() - started:.1f} s")
    return {"rm": users["rm"].pk, "token": key, "bank": bank.pk}


def measure_in_process(ids: dict, requests: int) -> dict:
    """Inbox and API list through the test client: median ms and queries per request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ecosystem.accounts.models import User

    rm = User.objects.get(pk=ids["rm"])
    browser = Client()
    browser.force_login(rm)
    api = Client(HTTP_AUTHORIZATION=f"Token {ids['token']}")
    pages = {
        "inbox": (browser, "/financing/leads/"),
        "inbox_team": (browser, "/financing/leads/?tab=team"),
        "inbox_unassigned": (browser, "/financing/leads/?tab=unassigned"),
        "api_leads": (api, "/api/v1/financing/leads/"),
    }
    out: dict = {}
    for key, (client, path) in pages.items():
        response = client.get(path)  # warm-up: templates, translations, connections
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        out[f"{key}_queries"] = len(queries)
        out[f"_{key}_sql"] = [q["sql"][:300] for q in queries.captured_queries]
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        out[f"{key}_ms_median"] = round(statistics.median(timings), 1)
        print(f"{path}: {out[f'{key}_queries']} queries, median {out[f'{key}_ms_median']} ms")
    return out


def head_cursor(rm_id: int) -> str:
    """The ``changed_since`` cursor a bank's system holds once it has read the feed to its
    end: that of the newest change in the relationship manager's feed (``updated_at``,
    then id, as the feed orders). A poll with it is the feed's steady state: nothing
    changed since, an empty page."""
    from ecosystem.accounts.models import User
    from ecosystem.financing.api.leads import encode_cursor
    from ecosystem.financing.selectors import leads_visible_to

    newest = (
        leads_visible_to(user=User.objects.get(pk=rm_id))
        .order_by("-updated_at", "-pk")
        .values_list("updated_at", "pk")
        .first()
    )
    if newest is None:
        raise SystemExit("the relationship manager's feed is empty")
    return encode_cursor(*newest)


def measure_http(ids: dict, *, seconds: float, concurrency: int) -> dict:
    """``/healthz/``, the leads API's first page, and the feed polled at its head (the
    cursor of its newest change, ``head_cursor``: what a bank's system asks for most of
    the time), each hammered for ``seconds`` on the same gunicorn in the same run."""
    feed = "/api/v1/financing/leads/"
    poll = f"{feed}?changed_since={head_cursor(ids['rm'])}"
    with Gunicorn(database_url=leads_url()) as server:
        auth = {"Authorization": f"Token {ids['token']}"}
        warm = min(2.0, seconds / 4)  # every endpoint once through every worker
        hammer(server.base + "/healthz/", seconds=warm, concurrency=concurrency)
        hammer(server.base + feed, seconds=warm, concurrency=2, headers=auth)
        hammer(server.base + poll, seconds=warm, concurrency=2, headers=auth)
        hello = hammer(server.base + "/healthz/", seconds=seconds, concurrency=concurrency)
        leads = hammer(server.base + feed, seconds=seconds, concurrency=concurrency, headers=auth)
        polled = hammer(server.base + poll, seconds=seconds, concurrency=concurrency, headers=auth)
        peak_worker, peak_total = server.peak_worker_mb, server.peak_total_mb
    print(f"hello: {hello}\nleads API: {leads}\nleads API polled at its head: {polled}")
    print(f"gunicorn peak RSS: {peak_worker:.0f} MB per worker, {peak_total:.0f} MB in all")
    if hello["errors"] or leads["errors"] or polled["errors"]:
        raise SystemExit("HTTP errors during the run")
    return {
        "hello_rps": hello["rps"],
        "api_leads_rps": leads["rps"],
        "api_vs_hello_ratio": round(leads["rps"] / hello["rps"], 3),
        "api_leads_p50_ms": leads["p50_ms"],
        "api_poll_rps": polled["rps"],
        "api_poll_vs_hello_ratio": round(polled["rps"] / hello["rps"], 3),
        "api_poll_p50_ms": polled["p50_ms"],
        "hello_p50_ms": hello["p50_ms"],
        "peak_rss_mb": round(peak_worker),
        "peak_rss_total_mb": round(peak_total),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="in-process requests per page")
    parser.add_argument("--seconds", type=float, default=20, help="HTTP run per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/latest.json")
    args = parser.parse_args(argv)

    os.environ["BENCH_DATABASE_URL"] = leads_url()  # this process only: the leads database
    # Requests reuse the database connection, as deployed (docs/deploy.md, gunicorn here in
    # (b)); 0 opened one per request and added its set-up to every in-process figure.
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    from bench.import_bench import ensure_database, setup_django

    ensure_database(leads_url())
    media = tempfile.mkdtemp(prefix="bench-leads-media-")
    try:
        setup_django(media)
        return run(args)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def run(args) -> int:
    from bench.results import record

    ids = seed(args.leads)
    load = round(os.getloadavg()[0], 2)
    figures = measure_in_process(ids, args.requests)
    sql = {k: figures.pop(k) for k in [k for k in figures if k.startswith("_")]}
    figures.update(measure_http(ids, seconds=args.seconds, concurrency=args.concurrency))
    figures["leads_in_database"] = args.leads
    for key, value in figures.items():
        print(f"{key}: {value}")
    target = figures["inbox_queries"] <= 10
    print(f"inbox queries target (<= 10): {'met' if target else 'MISSED'}")
    record(
        figures,
        path=args.results,
        bench="leads",
        details={
            "leads": args.leads,
            "in_process_requests": args.requests,
            "http_seconds_per_endpoint": args.seconds,
            "http_concurrency": args.concurrency,
            "gunicorn": "2 sync workers, portal.settings.production, PLAIN_HTTP_LOOPBACK=1",
            "load_average_1min_before": load,
            "db_conn_max_age": os.environ.get("DB_CONN_MAX_AGE"),
            "inbox_sql": sql["_inbox_sql"],
            "api_leads_sql": sql["_api_leads_sql"],
        },
    )
    print(f"written to {args.results} and {args.results.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
