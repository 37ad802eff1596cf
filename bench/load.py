"""A 60-second headless locust run against gunicorn on loopback (``make load``).

    deploy/stack.sh python -m bench.load [--users 10] [--spawn-rate 5] [--run-time 60s]
                                         [--results PATH]

Runs inside ``deploy/stack.sh`` (production settings, gunicorn, Celery workers, beat, demo
data). ``prepare`` adds what the traffic needs to the stack's database: one zone official
and one relationship manager account per simulated staff user (demo password and TOTP
secret) and leads on the demo bank's Beijing branch for every Zhongguancun enterprise and
product. Then ``bench/locustfile.py`` mixes enterprise (3), bank (2) and zone (1) users.
p50/p95 over all requests, the error count and requests per second go to
``bench/results/latest.json``; the exit status is non-zero when any request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAFF_ACCOUNTS = 10


def lead_clocks(due) -> dict:
    """A generated lead's clocks: first contact due at ``due``, the decision two days on
    (the services set them in working time; the bench only needs them filled)."""
    return {"due_at": due, "first_contact_due_at": due, "decision_due_at": due + timedelta(days=2)}


def prepare() -> int:
    """Staff accounts for the simulated users and leads for the bank side; idempotent."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import random
    from datetime import timedelta
    from decimal import Decimal

    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from deploy.smoke import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from ecosystem.accounts.models import Membership, User
    from ecosystem.accounts.roles import Role
    from ecosystem.enterprises.models import Consent, Enterprise
    from ecosystem.financing.models import Bank, Branch, Lead, Product
    from ecosystem.zones.models import Zone

    zone = Zone.objects.get(code="zgc")
    bank = Bank.objects.get(code="demo-bank")
    branch = Branch.objects.get(bank=bank, code="beijing")
    for i in range(STAFF_ACCOUNTS):
        for kind, membership in (
            ("official", {"role": Role.ZONE_OFFICIAL, "zone": zone}),
            ("rm", {"role": Role.BANK_RM, "bank": bank, "branch": branch}),
        ):
            email = f"load-{kind}-{i}@demo.kejinlink.cn"
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email=email, password=DEMO_PASSWORD
            )
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            Membership.objects.get_or_create(user=user, **membership)
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Lead.objects.filter(branch=branch).exclude(source="campaign").count() > 50:
        rng = random.Random(5)  # noqa: S311 - load data
        now = timezone.now()
        rms = list(User.objects.filter(email__startswith="load-rm-"))
        products = [(p, p.current_version) for p in Product.objects.filter(bank=bank)]
        leads, consents = [], []
        for enterprise in Enterprise.objects.filter(zone=zone):
            consents.append(
                Consent(
                    enterprise=enterprise,
                    bank=bank,
                    purpose="financing",
                    text_version="v1",
                    granted_at=now,
                )
            )
            for product, version in products:
                if Lead.objects.filter(enterprise=enterprise, product=product).exists():
                    continue
                status = rng.choice(["new", "new", "assigned", "contacted", "declined"])
                leads.append(
                    Lead(
                        enterprise=enterprise,
                        zone_id=enterprise.zone_id,
                        product=product,
                        product_version=version,
                        bank=bank,
                        branch=branch,
                        status=status,
                        source="apply",
                        indicative_limit=Decimal(rng.randrange(50, 3000) * 10_000),
                        assigned_to=None if status == "new" else rng.choice(rms),
                        **lead_clocks(now + timedelta(hours=rng.randint(-100, 72))),
                    )
                )
        Consent.objects.bulk_create(consents[::2], ignore_conflicts=True)
        Lead.objects.bulk_create(leads)
        print(f"load data: {len(leads)} leads on {branch}")
    return 0


def run(args) -> int:
    base_url = os.environ["BASE_URL"]
    stack_dir = Path(os.environ.get("STACK_DIR") or "/tmp")
    subprocess.run([sys.executable, "-m", "bench.load", "--prepare"], cwd=ROOT, check=True)  # noqa: S603
    prefix = stack_dir / "locust"
    locust = Path(sys.executable).parent / "locust"
    load_before = round(os.getloadavg()[0], 2)
    split_path = stack_dir / "locust-split.json"
    result = subprocess.run(  # noqa: S603 - our own locust, fixed arguments
        [str(locust), "-f", str(ROOT / "bench/locustfile.py"), "--headless"]
        + ["--users", str(args.users), "--spawn-rate", str(args.spawn_rate)]
        + ["--run-time", args.run_time, "--host", base_url, "--csv", str(prefix)]
        + ["--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
        cwd=ROOT,
        env={**os.environ, "LOAD_SPLIT_JSON": str(split_path)},
        check=False,
    )
    split = json.loads(split_path.read_text())
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))  # noqa: SIM115
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8")))  # noqa: SIM115
    figures = {
        # Signed-in traffic; sign-in (a password hash per simulated user) is apart.
        "locust_p50_ms": split["browsing"]["p50"],
        "locust_p95_ms": split["browsing"]["p95"],
        "locust_signin_p50_ms": split.get("sign_in", {}).get("p50"),
        "locust_signin_p95_ms": split.get("sign_in", {}).get("p95"),
        "locust_all_p50_ms": float(total["50%"]),
        "locust_all_p95_ms": float(total["95%"]),
        "locust_errors": int(total["Failure Count"]),
        "locust_requests": int(total["Request Count"]),
        "locust_rps": round(float(total["Requests/s"]), 1),
    }
    endpoints = {
        r["Name"]: f"n={r['Request Count']} p50={r['50%']} p95={r['95%']} ms"
        f" errors={r['Failure Count']}"
        for r in rows
        if r["Name"] != "Aggregated"
    }
    from bench.results import record

    record(
        figures,
        path=args.results,
        bench="load",
        details={
            "users": args.users,
            "spawn_rate": args.spawn_rate,
            "run_time": args.run_time,
            "mix": "enterprise 3 : bank 2 : zone 1 (bench/locustfile.py)",
            "web": f"gunicorn, {os.environ.get('STACK_WEB_WORKERS', '2')} sync workers",
            "load_average_1min_before": load_before,
            "endpoints": endpoints,
            "failures": [f"{f['Method']} {f['Name']}: {f['Error']}" for f in failures][:20],
        },
    )
    for key, value in figures.items():
        print(f"{key}: {value}")
    for name, line in endpoints.items():
        print(f"  {name}: {line}")
    print(f"written to {args.results} and {args.results.with_suffix('.md')}")
    return 1 if figures["locust_errors"] or result.returncode not in (0, 1) else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/latest.json")
    args = parser.parse_args(argv)
    return prepare() if args.prepare else run(args)


if __name__ == "__main__":
    raise SystemExit(main())
