"""The world's enterprises, their figures and qualification claims, and the programs'
lists, written by COPY."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from bench.world.db import copy_rows

YEARS = (2021, 2022, 2023, 2024, 2025)
BATCH = "2025年第一批"
CLAIM_STATUS = (("verified", 0.7), ("submitted", 0.15), ("draft", 0.1), ("rejected", 0.05))


def pick(rng: random.Random, mix, default: str) -> str:
    """A value of ``mix`` ((value, share), ...) drawn by its share; else ``default``."""
    draw = rng.random()
    for value, share in mix:
        if draw < share:
            return value
        draw -= share
    return default


def enterprises_copy(cursor, *, rng: random.Random, n: int, zones: list, now: datetime) -> list:
    """``n`` enterprises, round-robin over ``zones``; their ids in COPY order (nobody
    else writes to this database)."""
    from bench.import_bench import uscc
    from ecosystem.registries.names import name_key, near_key

    def rows():
        for i in range(n):
            name = f"全国科技企业{i:07d}有限公司"
            founded = date(2025, 12, 31) - timedelta(days=rng.randint(100, 9000))
            stamp = now - timedelta(days=i % 1500)
            zone = zones[i % len(zones)]
            yield (
                uscc(20_000_000 + i),
                name,
                name_key(name),
                near_key(name),
                "",
                zone.pk,
                f"{zone.city}科技路{i % 999}号",
                founded,
                "",
                "联系人",
                "13800000000",
                f"firm{i}@national.invalid",
                "",
                1,
                stamp,
                stamp,
                # As the identity migration left every firm registered before it.
                "confirmed",
                "migrated",
                stamp,
            )

    copy_rows(
        cursor,
        "enterprises_enterprise",
        "uscc name name_key near_key name_en zone_id registered_address founded_on "
        "website contact_name contact_phone contact_email description version "
        "created_at updated_at identity_status identity_source "
        "identity_confirmed_at".split(),
        rows(),
    )
    cursor.execute("SELECT id FROM enterprises_enterprise ORDER BY id")
    return [row[0] for row in cursor.fetchall()][-n:]


def years_copy(cursor, *, rng: random.Random, ids: list, admin_id: int, now: datetime) -> int:
    """Five years of figures for every fifth enterprise, most of them verified."""

    def rows():
        for i in range(0, len(ids), 5):
            employees = rng.randint(5, 900)
            revenue = rng.randint(0, 300_000_000)
            for year in YEARS:
                revenue = int(revenue * rng.uniform(0.9, 1.3))
                rd = revenue * rng.randint(0, 25) // 100
                status = "verified" if rng.random() < 0.8 else "unverified"
                verified = status == "verified"
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
                    admin_id if verified else None,
                    now if verified else None,
                    "",
                    1,
                    now,
                )

    return copy_rows(
        cursor,
        "enterprises_financialyear",
        "enterprise_id year revenue total_costs total_assets rd_expense net_profit "
        "employees rd_staff ip_invention_patents ip_ic_layouts ip_plant_varieties "
        "ip_new_drugs ip_utility_models ip_designs ip_software_copyrights "
        "verification_status verified_by_id verified_at verification_note version "
        "updated_at".split(),
        rows(),
    )


def claims_copy(
    cursor, *, rng: random.Random, ids: list, count: int, program_ids: list, admin_id: int, now
) -> int:
    """``count`` qualification claims over the programs, in every status."""

    def rows():
        for i in range(count):
            status = pick(rng, CLAIM_STATUS, "verified")
            decided = status in ("verified", "rejected")
            yield (
                ids[i],
                program_ids[i % len(program_ids)],
                f"GR2025{i:08d}",
                2025,
                date(2028, 12, 31),
                status,
                "",
                "",
                None if status == "draft" else now - timedelta(days=i % 300),
                now - timedelta(days=i % 200) if decided else None,
                admin_id if decided else None,
                now - timedelta(days=i % 400),
                now,
                1,
                "{}",
            )

    return copy_rows(
        cursor,
        "enterprises_qualificationclaim",
        "enterprise_id program_id certificate_number year valid_until status "
        "reason_code reason_text submitted_at decided_at decided_by_id created_at "
        "updated_at version list_mismatch".split(),
        rows(),
    )


def entries_copy(cursor, *, n: int, count: int, program_ids: list, now: datetime) -> int:
    """``count`` entries of the programs' lists: an eighth of them name firms not on the
    platform."""
    from bench.import_bench import uscc
    from ecosystem.registries.names import name_key

    def rows():
        for i in range(count):
            if i % 8 == 7:
                code, name = uscc(90_000_000 + i), f"名单外企业{i:07d}有限公司"
            else:
                k = (i * 7) % n
                code, name = uscc(20_000_000 + k), f"全国科技企业{k:07d}有限公司"
            yield (
                program_ids[i % len(program_ids)],
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

    return copy_rows(
        cursor,
        "registries_registryentry",
        "program_id batch uscc name name_key issued_on certificate_number year "
        "valid_until region status updated_at".split(),
        rows(),
    )
