"""A national-size world in a database of its own, loaded with COPY, reused across runs.

    python -m bench.world [--scale 1.0] [--keep]

At ``--scale 1``: 1,000,000 enterprises across 50 zones; five years of figures for a
fifth of them; 600,000 qualification claims; four programs' lists (600,000 entries);
30 banks with 1,500 branches (one per bank and zone), 60 product versions (two products
a bank, saved through ``product_save``); the matches of a real full rematch (the
``rematch_range`` task's code over 5,000-enterprise ranges, as ``rematch_all`` splits
it); 1,000,000 leads in every state, each past ``new`` with a status note, a third with a
free note, offers on the leads that reached one; consents (active for most leads'
bank and enterprise, some revoked). A bank holds a third of the leads; its branch in the
first zone is the relationship manager's inbox the benches open. Every count scales with
``--scale`` but the zones, banks, branches and versions.

The crawl's people: an owner of the first enterprise, an official of the first zone, an
officer of the ``hte`` list, the relationship manager of that branch, that bank's manager,
a platform admin (staff with a TOTP authenticator, as the portal requires).

Database: ``BENCH_NATIONAL_DATABASE_URL``, else
postgres://postgres@127.0.0.1:5432/kejinlink_national; below scale 1 the same name with the
scale after it (``kejinlink_national_s0_01``), so worlds of two sizes live side by side.
``--keep``: when the database holds a world of the same size (recorded in the table
``bench_world``), it is reused as it is; otherwise the database is dropped and built again.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kejinlink_national"
ZONES = 50
BANKS = 30
PRODUCTS_PER_BANK = 2
PROGRAMS = ("hte", "tsme", "srdi", "little-giant")
YEARS = (2021, 2022, 2023, 2024, 2025)
BATCH = "2025年第一批"
#: Share of leads per status (the rest: new). Every state the workflow has.
STATUS_MIX = (
    ("assigned", 0.15),
    ("contacted", 0.15),
    ("offer_made", 0.08),
    ("accepted", 0.04),
    ("disbursed", 0.10),
    ("declined", 0.12),
    ("withdrawn", 0.05),
    ("expired", 0.06),
)
OPEN = {"new", "assigned", "contacted", "offer_made", "accepted"}
#: The bank that holds this share of all leads (its inbox is the one measured).
BIG_BANK_SHARE = 1 / 3
CLAIM_STATUS = (("verified", 0.7), ("submitted", 0.15), ("draft", 0.1), ("rejected", 0.05))
NOTE = "客户已提交材料，待补充财务报表。"
VERSION = 2  # bump when the world's shape changes: --keep then rebuilds


def national_url(scale: float = 1.0) -> str:
    """The world's database; a smaller world has its own (``…_s0_01`` at 0.01), so a
    small run never replaces the national one."""
    url = os.environ.get("BENCH_NATIONAL_DATABASE_URL") or DEFAULT_URL
    return url if scale == 1 else url + "_s" + f"{scale:g}".replace(".", "_")


def sizes(scale: float) -> dict:
    n = max(1000, round(1_000_000 * scale))
    return {
        "version": VERSION,
        "scale": scale,
        "enterprises": n,
        "zones": ZONES,
        "figures_enterprises": n // 5,
        "claims": round(n * 0.6),
        "registry_entries": round(n * 0.6),
        "banks": BANKS,
        "branches": BANKS * ZONES,
        "product_versions": BANKS * PRODUCTS_PER_BANK,
        "leads": n,
    }


def _pick(rng: random.Random, mix, default: str) -> str:
    draw = rng.random()
    for value, share in mix:
        if draw < share:
            return value
        draw -= share
    return default


def _conninfo(url: str) -> dict:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    return {
        "dbname": cfg["NAME"],
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
    }


def recorded(url: str) -> dict | None:
    """The size recorded in the world's database, or None (no database, no world)."""
    import psycopg

    info = _conninfo(url)
    try:
        with psycopg.connect(**info) as conn:
            row = conn.execute(
                "SELECT value FROM bench_world WHERE key = 'world'"
                if conn.execute("SELECT to_regclass('bench_world')").fetchone()[0]
                else "SELECT NULL WHERE false"
            ).fetchone()
    except psycopg.OperationalError:
        return None
    return json.loads(row[0]) if row else None


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    info = _conninfo(url)
    name = info.pop("dbname")
    with psycopg.connect(dbname="postgres", autocommit=True, **info) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup(url: str) -> str:
    """Django on the national database (created and migrated when missing); the media
    folder it writes to (temporary: the caller removes it)."""
    os.environ["BENCH_DATABASE_URL"] = url  # this process only: the national database
    from bench.import_bench import ensure_database, setup_django

    ensure_database(url)
    media = tempfile.mkdtemp(prefix="bench-national-media-")
    setup_django(media)
    return media


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``table``; returns their number."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


class Clock:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.last = self.started
        self.steps: list[tuple[str, float, int]] = []

    def step(self, label: str, rows: int = 0) -> None:
        now = time.perf_counter()
        self.steps.append((label, round(now - self.last, 1), rows))
        print(f"  {label}: {rows:,} rows in {now - self.last:.1f} s", flush=True)
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def staff(email: str, *, superuser: bool = False):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from ecosystem.accounts.models import User

    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        if superuser:
            user.is_staff = user.is_superuser = True
        user.save()
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def build(size: dict) -> dict:  # noqa: C901, PLR0915 - one linear script, step by step
    from django.db import connection
    from django.utils import timezone

    from bench.import_bench import uscc
    from ecosystem.accounts.models import Membership, User
    from ecosystem.accounts.roles import Role
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.financing.models import Bank, Branch, Lead, Product
    from ecosystem.financing.services import product_save
    from ecosystem.financing.tasks.matching import CHUNK, rematch_range
    from ecosystem.registries.models import Program
    from ecosystem.registries.names import name_key, near_key
    from ecosystem.zones.models import Zone

    logging.getLogger("celery").setLevel(logging.WARNING)  # no line per eager task
    clock = Clock()
    rng = random.Random(19)  # noqa: S311 - bench data
    n = size["enterprises"]
    now = timezone.now()
    admin = staff("admin@national.invalid", superuser=True)

    zones = [
        Zone.objects.get_or_create(
            code=f"nat-{z:02d}", defaults={"name_zh": f"全国园区{z:02d}", "city": f"城市{z:02d}"}
        )[0]
        for z in range(ZONES)
    ]
    programs = {p.code: p for p in Program.objects.filter(code__in=PROGRAMS)}
    missing = set(PROGRAMS) - set(programs)
    if missing:
        raise SystemExit(f"programs {sorted(missing)} missing: are the migrations applied?")
    banks = [
        Bank.objects.get_or_create(
            code=f"nat-bank-{b:02d}", defaults={"name_zh": f"全国银行{b:02d}"}
        )[0]
        for b in range(BANKS)
    ]
    Branch.objects.bulk_create(
        [
            Branch(bank=bank, code=f"z{z:02d}", name_zh=f"{bank.name_zh}{zones[z].name_zh}支行")
            for bank in banks
            for z in range(ZONES)
        ]
    )
    branch_of = {
        (bank_id, code): pk
        for pk, bank_id, code in Branch.objects.values_list("pk", "bank_id", "code")
    }
    through = Branch.zones.through
    through.objects.bulk_create(
        [
            through(branch_id=branch_of[(bank.pk, f"z{z:02d}")], zone_id=zones[z].pk)
            for bank in banks
            for z in range(ZONES)
        ]
    )
    # One relationship manager per branch, one manager per bank (no second factor: they
    # only author notes and hold leads; the crawl's people below have one).
    rm_rows, manager_rows = [], []
    for bank in banks:
        manager_rows.append(User(email=f"manager@{bank.code}.invalid"))
        for z in range(ZONES):
            rm_rows.append(User(email=f"rm-z{z:02d}@{bank.code}.invalid"))
    for user in rm_rows + manager_rows:
        user.set_unusable_password()
    User.objects.bulk_create(rm_rows + manager_rows)
    users = dict(User.objects.filter(email__endswith=".invalid").values_list("email", "pk"))
    memberships = []
    rm_of = {}
    for bank in banks:
        memberships.append(
            Membership(
                user_id=users[f"manager@{bank.code}.invalid"], role=Role.BANK_MANAGER, bank=bank
            )
        )
        for z in range(ZONES):
            branch_id = branch_of[(bank.pk, f"z{z:02d}")]
            rm_id = users[f"rm-z{z:02d}@{bank.code}.invalid"]
            rm_of[branch_id] = rm_id
            memberships.append(
                Membership(user_id=rm_id, role=Role.BANK_RM, bank=bank, branch_id=branch_id)
            )
    Membership.objects.bulk_create(memberships)
    clock.step("zones, banks, branches, staff", len(memberships))

    # Products before enterprises: saving one rematches it in this (brokerless) process,
    # which is free on an empty table; the full rematch below does the real work.
    stages = [["startup"], ["growth"], ["maturity"], ["startup", "growth"], []]
    bases = ["rd_multiple", "revenue_share", "fixed"]
    versions_of: dict[int, list[tuple[int, int]]] = {}
    for b, bank in enumerate(banks):
        manager = User.objects.get(pk=users[f"manager@{bank.code}.invalid"])
        for k in range(PRODUCTS_PER_BANK):
            j = b * PRODUCTS_PER_BANK + k
            version = product_save(
                bank=bank,
                actor=manager,
                code=f"p{k}",
                name_zh=f"{bank.name_zh}科创贷{k}",
                kind="unsecured",
                amount_min=Decimal(500_000),
                amount_max=Decimal(30_000_000),
                term_min_months=6,
                term_max_months=36,
                rate_min=Decimal("3.0"),
                rate_max=Decimal("4.5"),
                stages=stages[j % 5],
                programs_any=[["hte"], ["tsme", "srdi"], []][j % 3],
                min_rd_intensity=[None, Decimal("0.03"), Decimal("0.05")][j % 3],
                max_employees=[None, 500][j % 2],
                limit_basis=bases[j % 3],
                limit_factor=[Decimal("2"), Decimal("0.15"), Decimal("3000000")][j % 3],
                uplift_per_qualification=Decimal(500_000),
            )
            versions_of.setdefault(bank.pk, []).append((version.product_id, version.pk))
    clock.step("product versions (product_save)", Product.objects.count())

    with connection.cursor() as cursor:
        # Enterprises: ids follow the COPY's order (nobody else writes to this database).
        def enterprises():
            for i in range(n):
                name = f"全国科技企业{i:07d}有限公司"
                founded = date(2025, 12, 31) - timedelta(days=rng.randint(100, 9000))
                stamp = now - timedelta(days=i % 1500)
                yield (
                    uscc(20_000_000 + i),
                    name,
                    name_key(name),
                    near_key(name),
                    "",
                    zones[i % ZONES].pk,
                    f"{zones[i % ZONES].city}科技路{i % 999}号",
                    founded,
                    "",
                    "联系人",
                    "13800000000",
                    f"firm{i}@national.invalid",
                    "",
                    1,
                    stamp,
                    stamp,
                    "confirmed",
                    "zone",
                    stamp,
                )

        rows = copy_rows(
            cursor,
            "enterprises_enterprise",
            "uscc name name_key near_key name_en zone_id registered_address founded_on "
            "website contact_name contact_phone contact_email description version "
            "created_at updated_at identity_status identity_source identity_confirmed_at".split(),
            enterprises(),
        )
        clock.step("enterprises (COPY)", rows)
        cursor.execute("SELECT id FROM enterprises_enterprise ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()][-n:]

        def years():
            for i in range(0, n, 5):
                employees = rng.randint(5, 900)
                revenue = rng.randint(0, 300_000_000)
                for year in YEARS:
                    revenue = int(revenue * rng.uniform(0.9, 1.3))
                    rd = revenue * rng.randint(0, 25) // 100
                    status = "verified" if rng.random() < 0.8 else "unverified"
                    yield (
                        ids[i],
                        year,
                        revenue,
                        revenue + rd,
                        revenue,
                        rd,
                        revenue // 10,
                        employees,
                        employees // 4,
                        rng.choice((0, 0, 1, 3)),
                        0,
                        0,
                        0,
                        rng.choice((0, 2, 5)),
                        0,
                        rng.choice((0, 1, 4)),
                        status,
                        admin.pk if status == "verified" else None,
                        now if status == "verified" else None,
                        "",
                        1,
                        now,
                    )

        rows = copy_rows(
            cursor,
            "enterprises_financialyear",
            "enterprise_id year revenue total_costs total_assets rd_expense net_profit "
            "employees rd_staff ip_invention_patents ip_ic_layouts ip_plant_varieties "
            "ip_new_drugs ip_utility_models ip_designs ip_software_copyrights "
            "verification_status verified_by_id verified_at verification_note version "
            "updated_at".split(),
            years(),
        )
        clock.step("financial years (COPY)", rows)

        program_ids = [programs[code].pk for code in PROGRAMS]

        def claims():
            for i in range(size["claims"]):
                status = _pick(rng, CLAIM_STATUS, "verified")
                decided = status in ("verified", "rejected")
                yield (
                    ids[i],
                    program_ids[i % 4],
                    f"GR2025{i:08d}",
                    2025,
                    date(2028, 12, 31),
                    status,
                    "",
                    "",
                    None if status == "draft" else now - timedelta(days=i % 300),
                    now - timedelta(days=i % 200) if decided else None,
                    admin.pk if decided else None,
                    now - timedelta(days=i % 400),
                    now,
                    1,
                    "{}",
                )

        rows = copy_rows(
            cursor,
            "enterprises_qualificationclaim",
            "enterprise_id program_id certificate_number year valid_until status "
            "reason_code reason_text submitted_at decided_at decided_by_id created_at "
            "updated_at version list_mismatch".split(),
            claims(),
        )
        clock.step("qualification claims (COPY)", rows)

        def entries():
            # Each program's list: an eighth of its rows name firms not on the platform.
            for i in range(size["registry_entries"]):
                if i % 8 == 7:
                    code, name = uscc(90_000_000 + i), f"名单外企业{i:07d}有限公司"
                else:
                    k = (i * 7) % n
                    code, name = uscc(20_000_000 + k), f"全国科技企业{k:07d}有限公司"
                yield (
                    program_ids[i % 4],
                    BATCH,
                    code,
                    name,
                    name_key(name),
                    date(2025, 6, 1),
                    f"GR2025{i:08d}",
                    2025,
                    date(2028, 12, 31),
                    "",
                    "current",
                    now,
                )

        rows = copy_rows(
            cursor,
            "registries_registryentry",
            "program_id batch uscc name name_key issued_on certificate_number year "
            "valid_until region status updated_at".split(),
            entries(),
        )
        clock.step("registry entries (COPY)", rows)
        cursor.execute("ANALYZE")
    clock.step("ANALYZE")

    # Matches: the full rematch's own code, range by range as rematch_all splits it.
    low, high = ids[0], ids[-1] + 1
    for start in range(low, high, CHUNK):
        rematch_range(start, min(high, start + CHUNK))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM financing_match")
        matches = cursor.fetchone()[0]
    clock.step("matches (rematch_range over every range)", matches)
    rematch_seconds = clock.steps[-1][1]

    big = banks[0]
    with connection.cursor() as cursor:
        lead_rows: list[tuple] = []

        def leads():
            for i in range(n):
                bank = big if rng.random() < BIG_BANK_SHARE else banks[rng.randrange(BANKS)]
                status = _pick(rng, STATUS_MIX, "new")
                if i == 0:  # the crawl's enterprise: an offer from the big bank
                    bank, status = big, "offer_made"
                product_id, version_id = versions_of[bank.pk][i % PRODUCTS_PER_BANK]
                branch_id = branch_of[(bank.pk, f"z{i % ZONES:02d}")]
                created = now - timedelta(days=rng.randint(0, 365), minutes=i % 1440)
                due = created + timedelta(hours=8)
                assigned = None if status == "new" else rm_of[branch_id]
                contacted = status not in ("new", "assigned")
                decided = status in ("disbursed", "declined", "withdrawn", "expired")
                lead_rows.append((status, assigned, created))
                yield (
                    ids[i],
                    product_id,
                    version_id,
                    bank.pk,
                    branch_id,
                    status,
                    "apply",
                    Decimal(rng.randrange(50, 3000) * 10_000),
                    created,
                    assigned,
                    due,
                    due,
                    created + timedelta(days=3),
                    created + timedelta(hours=4) if contacted else None,
                    created + timedelta(days=2) if decided else None,
                    None,
                    None,
                    created + timedelta(days=1),
                    "outside_policy" if status == "declined" else "",
                    "",
                    "",
                    "",
                )

        rows = copy_rows(
            cursor,
            "financing_lead",
            "enterprise_id product_id product_version_id bank_id branch_id status source "
            "indicative_limit created_at assigned_to_id due_at first_contact_due_at "
            "decision_due_at first_contact_at decided_at escalated_at "
            "decision_escalated_at updated_at decline_reason decline_note need_purpose "
            "need_collateral".split(),
            leads(),
        )
        clock.step("leads (COPY)", rows)
        cursor.execute("SELECT id FROM financing_lead ORDER BY id")
        lead_ids = [row[0] for row in cursor.fetchall()][-n:]

        def notes():
            for lead_id, (status, assigned, created) in zip(lead_ids, lead_rows, strict=True):
                if status != "new":
                    yield (lead_id, "status", assigned, "", "new", status, "", created)
                if lead_id % 3 == 0:
                    yield (
                        lead_id,
                        "note",
                        assigned,
                        NOTE,
                        "",
                        "",
                        "",
                        created,
                    )

        rows = copy_rows(
            cursor,
            "financing_leadnote",
            "lead_id kind author_id body from_status to_status reason_code created_at".split(),
            notes(),
        )
        clock.step("lead notes (COPY)", rows)
        offer_status = {"offer_made": "made", "accepted": "accepted", "disbursed": "accepted"}

        def offers():
            for lead_id, (status, assigned, created) in zip(lead_ids, lead_rows, strict=True):
                if status in offer_status:
                    answered = status != "offer_made"
                    yield (
                        lead_id,
                        Decimal(1_000_000),
                        Decimal("3.8500"),
                        12,
                        "",
                        created + timedelta(days=14),
                        "",
                        offer_status[status],
                        assigned,
                        created + timedelta(days=1),
                        created + timedelta(days=2) if answered else None,
                        None,
                    )

        rows = copy_rows(
            cursor,
            "financing_offer",
            "lead_id amount rate term_months conditions valid_until override_reason status "
            "created_by_id created_at responded_at responded_by_id".split(),
            offers(),
        )
        clock.step("offers (COPY)", rows)
        cursor.execute("SELECT DISTINCT enterprise_id, bank_id FROM financing_lead ORDER BY 1, 2")
        pairs = cursor.fetchall()

        def consents():
            # Active for 80% of the pairs with a lead; a revoked one before it for a tenth.
            for k, (enterprise_id, bank_id) in enumerate(pairs):
                granted = now - timedelta(days=k % 700)
                if k % 10 == 0:
                    yield (enterprise_id, bank_id, "financing", "v1", granted, granted)
                if k % 5 != 4:
                    yield (enterprise_id, bank_id, "financing", "v2", granted, None)

        rows = copy_rows(
            cursor,
            "enterprises_consent",
            "enterprise_id bank_id purpose text_version granted_at revoked_at".split(),
            consents(),
        )
        clock.step("consents (COPY)", rows)

    # The crawl's people.
    first = Enterprise.objects.get(pk=ids[0])
    member, _ = User.objects.get_or_create(email="member@national.invalid")
    Membership.objects.get_or_create(user=member, role=Role.ENTERPRISE_OWNER, enterprise=first)
    people = {"member": member.pk, "admin": admin.pk}
    official = staff("official@national.invalid")
    Membership.objects.get_or_create(user=official, role=Role.ZONE_OFFICIAL, zone=zones[0])
    registry = staff("registry@national.invalid")
    Membership.objects.get_or_create(
        user=registry, role=Role.REGISTRY_OFFICER, program=programs["hte"]
    )
    branch_id = branch_of[(big.pk, "z00")]
    rm = staff("rm@national.invalid")
    Membership.objects.get_or_create(user=rm, role=Role.BANK_RM, bank=big, branch_id=branch_id)
    manager = staff("manager@national.invalid")
    Membership.objects.get_or_create(user=manager, role=Role.BANK_MANAGER, bank=big)
    # The focal RM takes over the branch's leads from its generated RM.
    Lead.objects.filter(branch_id=branch_id, assigned_to_id=rm_of[branch_id]).update(assigned_to=rm)
    people.update(official=official.pk, registry=registry.pk, rm=rm.pk, manager=manager.pk)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # visibility maps too: index-only scans
    clock.step("the crawl's people, ANALYZE")
    counts = count()
    return {
        **size,
        "built_seconds": round(clock.total, 1),
        "rematch_seconds": rematch_seconds,
        "steps": clock.steps,
        "counts": counts,
        "people": people,
        "enterprise": ids[0],
        "zone": zones[0].pk,
        "bank": big.pk,
        "branch": branch_id,
        "built_at": datetime.now().isoformat(timespec="seconds"),
    }


TABLES = {
    "enterprises": "enterprises_enterprise",
    "financial_years": "enterprises_financialyear",
    "claims": "enterprises_qualificationclaim",
    "registry_entries": "registries_registryentry",
    "banks": "financing_bank",
    "branches": "financing_branch",
    "product_versions": "financing_productversion",
    "matches": "financing_match",
    "leads": "financing_lead",
    "lead_notes": "financing_leadnote",
    "offers": "financing_offer",
    "consents": "enterprises_consent",
    "zones": "zones_zone",
}


def count() -> dict:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for key, table in TABLES.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our table names
            out[key] = cursor.fetchone()[0]
        cursor.execute("SELECT status, count(*) FROM financing_lead GROUP BY 1 ORDER BY 1")
        out["leads_by_status"] = dict(cursor.fetchall())
    return out


def save(info: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_world (key text PRIMARY KEY, value text)")
        cursor.execute(
            "INSERT INTO bench_world VALUES ('world', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json.dumps(info, ensure_ascii=False, default=str)],
        )


def same_size(info: dict | None, size: dict) -> bool:
    return bool(info) and all(info.get(k) == v for k, v in size.items())


def ensure(scale: float, *, keep: bool) -> dict:
    """Set Django up on the national database with a world of ``scale``; its record.
    Reuses the world when ``keep`` and its recorded size matches; else builds it anew.
    Returns the record plus ``media`` (a temporary folder the caller removes)."""
    url = national_url(scale)
    size = sizes(scale)
    info = recorded(url)
    reused = keep and same_size(info, size)
    if not reused:
        drop_database(url)
    media = setup(url)
    if not reused:
        print(f"building a national world at scale {scale} ({size['enterprises']:,} enterprises)")
        info = build(size)
        save(info)
        print(f"built in {info['built_seconds']} s")
    else:
        print(f"reusing the national world built {info['built_at']} in {info['built_seconds']} s")
    describe(info)
    return {**info, "media": media, "reused": reused}


def describe(info: dict) -> None:
    counts = info["counts"]
    print("world: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if isinstance(v, int)))
    print("leads by status: " + json.dumps(counts["leads_by_status"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="reuse a world of the same size")
    args = parser.parse_args(argv)
    info = ensure(args.scale, keep=args.keep)
    shutil.rmtree(info["media"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
