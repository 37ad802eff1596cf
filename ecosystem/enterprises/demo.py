"""Demo enterprises: three named ones from the background article, plus 200 generated ones
across the zones with several years of plausible figures and claims in various states.

Deterministic (a fixed random seed) and idempotent: running it again changes nothing.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.core.uscc import ALPHABET, uscc_check_character
from ecosystem.enterprises.models import (
    Enterprise,
    FinancialYear,
    IndustryDivision,
    QualificationClaim,
)
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import Program
from ecosystem.zones.models import Zone

GENERATED = 200


def demo_uscc(prefix17: str) -> str:
    return prefix17 + uscc_check_character(prefix17)


ENTERPRISES = [
    ("91110108MA01DEM61", "北京智芯科技有限公司", "Beijing Zhixin Technology Co., Ltd.", "zgc"),
    (
        "91310115MA1HDEM62",
        "上海深瞳人工智能有限公司",
        "Shanghai Shentong AI Co., Ltd.",
        "zhangjiang",
    ),
    (
        "91440101MA5CDEM63",
        "广州新材科技股份有限公司",
        "Guangzhou Xincai Materials Co., Ltd.",
        "gz-htz",
    ),
]


def _year(revenue, rd, employees, rd_staff, patents):
    revenue, rd = Decimal(revenue), Decimal(rd)
    return {
        "revenue": revenue,
        "total_costs": revenue * Decimal("0.9"),
        "rd_expense": rd,
        "total_assets": revenue * Decimal("1.2"),
        "net_profit": revenue * Decimal("0.1"),
        "employees": employees,
        "rd_staff": rd_staff,
        "ip_invention_patents": patents,
        "ip_software_copyrights": 6,
    }


#: The background article's three cases: a Beijing start-up, a Shanghai AI firm growing,
#: a Guangzhou materials firm at maturity (one verified year each, verified qualifications).
STORIES = [
    {
        "founded_on": date(2022, 3, 15),
        "programs": ["tsme"],
        "years": [_year(6_000_000, 1_200_000, 30, 18, 2)],
    },
    {
        "founded_on": date(2019, 6, 1),
        "programs": ["hte", "srdi"],
        "years": [_year(80_000_000, 6_400_000, 180, 70, 9)],
    },
    {
        "founded_on": date(2011, 9, 20),
        "programs": ["hte", "little-giant"],
        "years": [_year(320_000_000, 16_000_000, 450, 120, 25)],
    },
]
ZONE_PREFIX = {"zgc": "91110108", "zhangjiang": "91310115", "gz-htz": "91440101"}
NAME_PARTS = (
    [
        "智",
        "芯",
        "云",
        "数",
        "光",
        "量",
        "星",
        "科",
        "创",
        "瑞",
        "微",
        "航",
        "源",
        "材",
        "医",
        "链",
    ],
    ["科技", "信息技术", "智能", "生物医药", "新材料", "半导体", "软件", "机器人"],
)
CITY = {"zgc": "北京", "zhangjiang": "上海", "gz-htz": "广州"}
DIVISIONS = ["65", "64", "39", "27", "26", "35", "73", "40"]
CLAIM_STATES = [
    ClaimStatus.DRAFT,
    ClaimStatus.SUBMITTED,
    ClaimStatus.UNDER_REVIEW,
    ClaimStatus.VERIFIED,
    ClaimStatus.VERIFIED,
    ClaimStatus.REJECTED,
    ClaimStatus.NEEDS_INFO,
]


def _yuan(value: float) -> Decimal:
    return Decimal(int(value)).quantize(Decimal("1.00"))


def _figures(rng: random.Random, size: int, year_index: int) -> dict:
    employees = max(5, int(size * (1 + 0.15 * year_index)))
    revenue = _yuan(employees * rng.uniform(300_000, 1_200_000))
    costs = _yuan(float(revenue) * rng.uniform(0.7, 1.05))
    rd = _yuan(float(costs) * rng.uniform(0.03, 0.35))
    return {
        "revenue": revenue,
        "total_costs": costs,
        "rd_expense": rd,
        "total_assets": _yuan(float(revenue) * rng.uniform(0.6, 2.0)),
        "net_profit": revenue - costs,
        "employees": employees,
        "rd_staff": max(1, int(employees * rng.uniform(0.08, 0.6))),
        "ip_invention_patents": rng.choice([0, 0, 1, 2, 5]),
        "ip_utility_models": rng.randint(0, 8),
        "ip_designs": rng.randint(0, 3),
        "ip_software_copyrights": rng.randint(0, 12),
    }


def seed(out) -> None:
    zones = {z.code: z for z in Zone.objects.all()}
    this_year = timezone.localdate().year
    for (prefix, name, name_en, zone_code), story in zip(ENTERPRISES, STORIES, strict=True):
        enterprise, _ = Enterprise.objects.update_or_create(
            uscc=demo_uscc(prefix),
            defaults={
                "name": name,
                "name_en": name_en,
                "zone": zones[zone_code],
                "founded_on": story["founded_on"],
            },
        )
        for offset, figures in enumerate(story["years"], start=1):
            FinancialYear.objects.get_or_create(
                enterprise=enterprise,
                year=this_year - offset,
                defaults={**figures, "verification_status": "verified"},
            )
        for code in story["programs"]:
            QualificationClaim.objects.get_or_create(
                enterprise=enterprise,
                program=Program.objects.get(code=code),
                defaults={
                    "status": ClaimStatus.VERIFIED,
                    "year": this_year - 1,
                    "certificate_number": f"DEMO-{code.upper()}-{prefix[-3:]}",
                    "valid_until": date(this_year + 2, 12, 31),
                },
            )

    rng = random.Random(20261127)  # noqa: S311 - demo data, not security
    divisions = {d.code: d for d in IndustryDivision.objects.filter(code__in=DIVISIONS)}
    programs = list(Program.objects.order_by("code"))
    this_year = timezone.localdate().year
    zone_codes = list(ZONE_PREFIX)
    for n in range(GENERATED):
        zone_code = zone_codes[n % len(zone_codes)]
        serial = "".join(ALPHABET[(n * 7919 + 104729) // 31**i % 31] for i in range(7))
        uscc = demo_uscc(ZONE_PREFIX[zone_code] + "MA" + serial)
        name = (
            CITY[zone_code]
            + rng.choice(NAME_PARTS[0])
            + rng.choice(NAME_PARTS[0])
            + rng.choice(NAME_PARTS[1])
            + "有限公司"
        )
        founded = date(this_year, 1, 1) - timedelta(days=rng.randint(200, 365 * 15))
        enterprise, created = Enterprise.objects.get_or_create(
            uscc=uscc,
            defaults={
                "name": name,
                "zone": zones[zone_code],
                "founded_on": founded,
                "industry": divisions.get(rng.choice(DIVISIONS)),
                "registered_address": f"{CITY[zone_code]}市高新区科技路{n + 1}号",
            },
        )
        if not created:
            continue
        size = rng.choice([8, 15, 30, 60, 120, 250, 400])
        for i, year in enumerate(range(this_year - 3, this_year)):
            if year >= founded.year:
                FinancialYear.objects.create(
                    enterprise=enterprise,
                    year=year,
                    verification_status=rng.choice(["unverified", "verified", "verified"]),
                    **_figures(rng, size, i),
                )
        for program in rng.sample(programs, rng.randint(0, 2)):
            status = rng.choice(CLAIM_STATES)
            QualificationClaim.objects.create(
                enterprise=enterprise,
                program=program,
                status=status,
                certificate_number=f"GR{this_year - 1}{n:05d}{program.pk}",
                year=this_year - 1,
                valid_until=date(this_year + 2, 12, 31),
                submitted_at=None if status == ClaimStatus.DRAFT else timezone.now(),
                reason_code="not_on_list" if status == ClaimStatus.REJECTED else "",
            )
    _confirm_seeded_identities()
    # The years and claims above were written past the services: recount the stages.
    from ecosystem.enterprises import verified_programs, waiting
    from ecosystem.enterprises.summary import rebuild

    rebuild()
    waiting.rebuild()  # the claims' review backlog per zone and day
    verified_programs.rebuild()  # the verified enterprises per zone and program
    out.write(
        f"enterprises: {Enterprise.objects.count()}, financial years: "
        f"{FinancialYear.objects.count()}, claims: {QualificationClaim.objects.count()}"
    )


def _confirm_seeded_identities() -> None:
    """Demo firms stand for companies registered before identity confirmation existed:
    confirmed, marked "migrated", like the rows the 0005 migration confirmed."""
    from ecosystem.enterprises.models import IdentityCheck
    from ecosystem.enterprises.workflow import IdentitySource, IdentityStatus

    now = timezone.now()
    waiting = Enterprise.objects.filter(identity_status=IdentityStatus.UNCONFIRMED)
    waiting = waiting.exclude(identity_checks__isnull=False)
    ids = list(waiting.values_list("pk", flat=True))
    IdentityCheck.objects.bulk_create(
        IdentityCheck(
            enterprise_id=pk,
            status=IdentityStatus.CONFIRMED,
            source=IdentitySource.MIGRATED,
            decided_at=now,
        )
        for pk in ids
    )
    Enterprise.objects.filter(pk__in=ids).update(
        identity_status=IdentityStatus.CONFIRMED,
        identity_source=IdentitySource.MIGRATED,
        identity_confirmed_at=now,
    )
