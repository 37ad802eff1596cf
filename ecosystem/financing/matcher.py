"""The evaluator's rules compiled into one query per product version.

A rematch never loops over enterprise–product pairs in Python: each current product
version becomes one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` over the enterprises
(optionally a single one, or an id range), and matches the run did not touch are
deleted. The same SQL runs on PostgreSQL and SQLite.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor, Greatest, Least
from django.utils import timezone

from ecosystem.enterprises.lifecycle import LIFECYCLE_THRESHOLDS, age_in_years
from ecosystem.financing.facts import (
    LIMIT_ROUNDING,
    SCORE_BASE,
    SCORE_CLASS_I_IP,
    SCORE_PER_PROGRAM,
    SCORE_PROGRAMS_COUNTED,
    valid_claims_q,
)
from ecosystem.financing.models import Match, ProductVersion

MONEY = DecimalField(max_digits=20, decimal_places=4)


def age_cutoff(years: int, on: date) -> date:
    """The latest founding date that is at least ``years`` old on ``on`` (leap-day safe)."""
    try:
        candidate = on.replace(year=on.year - years)
    except ValueError:  # 29 February in a non-leap target year
        candidate = on.replace(year=on.year - years, day=28)
    while age_in_years(candidate + timedelta(days=1), on) >= years:
        candidate += timedelta(days=1)
    while age_in_years(candidate, on) < years:
        candidate -= timedelta(days=1)
    return candidate


def facts_queryset(*, on: date) -> QuerySet:
    from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim

    years = FinancialYear.objects.filter(
        enterprise=OuterRef("pk"), verification_status="verified"
    ).order_by("-year")
    programs = (
        QualificationClaim.objects.filter(valid_claims_q(on), enterprise=OuterRef("pk"))
        .order_by()
        .values("enterprise")
        .annotate(n=Count("program", distinct=True))
        .values("n")
    )
    class_i = years.annotate(
        ci=F("ip_invention_patents")
        + F("ip_ic_layouts")
        + F("ip_plant_varieties")
        + F("ip_new_drugs")
    ).values("ci")[:1]
    qs = Enterprise.objects.annotate(
        v_revenue=Subquery(years.values("revenue")[:1], output_field=MONEY),
        v_rd=Subquery(years.values("rd_expense")[:1], output_field=MONEY),
        v_employees=Subquery(years.values("employees")[:1], output_field=IntegerField()),
        v_class_i=Subquery(class_i, output_field=IntegerField()),
        v_programs=Coalesce(Subquery(programs, output_field=IntegerField()), 0),
    )
    t = LIFECYCLE_THRESHOLDS
    complete = Q(
        founded_on__isnull=False,
        founded_on__lte=on,
        v_revenue__isnull=False,
        v_employees__isnull=False,
    )
    big_maturity = Q(v_revenue__gte=t.maturity_min_revenue) | Q(
        v_employees__gte=t.maturity_min_employees
    )
    big_growth = Q(v_revenue__gte=t.growth_min_revenue) | Q(v_employees__gte=t.growth_min_employees)
    return qs.annotate(
        v_stage=Case(
            When(
                complete
                & Q(founded_on__lte=age_cutoff(t.maturity_min_age_years, on))
                & big_maturity,
                then=Value("maturity"),
            ),
            When(complete & big_maturity, then=Value("growth")),
            When(
                complete & Q(founded_on__lte=age_cutoff(t.growth_min_age_years, on)) & big_growth,
                then=Value("growth"),
            ),
            default=Value("startup"),
        )
    )


def _has_program(code: str, on: date):
    from ecosystem.enterprises.models import QualificationClaim

    return Exists(
        QualificationClaim.objects.filter(
            valid_claims_q(on), enterprise=OuterRef("pk"), program__code=code
        )
    )


def compile_version(version: ProductVersion, *, on: date, qs: QuerySet | None = None):
    """Enterprises eligible for ``version`` with ``m_limit`` and ``m_score`` annotations."""
    qs = qs if qs is not None else facts_queryset(on=on)
    conditions = Q()
    if version.stages:
        conditions &= Q(v_stage__in=list(version.stages))
    for code in version.programs_all:
        qs = qs.annotate(**{f"p_all_{code}": _has_program(code, on)})
        conditions &= Q(**{f"p_all_{code}": True})
    if version.programs_any:
        any_q = Q(pk__in=[])
        for code in version.programs_any:
            qs = qs.annotate(**{f"p_any_{code}": _has_program(code, on)})
            any_q |= Q(**{f"p_any_{code}": True})
        conditions &= any_q
    if version.min_rd_intensity is not None:
        conditions &= Q(
            v_revenue__gt=0,
            v_rd__gte=F("v_revenue") * Value(Decimal(version.min_rd_intensity), output_field=MONEY),
        )
    if version.min_rd_expense is not None:
        conditions &= Q(v_rd__gte=version.min_rd_expense)
    if version.min_revenue is not None:
        conditions &= Q(v_revenue__gte=version.min_revenue)
    if version.max_revenue is not None:
        conditions &= Q(v_revenue__lte=version.max_revenue)
    if version.max_employees is not None:
        conditions &= Q(v_employees__lte=version.max_employees)
    if version.min_age_years is not None or version.max_age_years is not None:
        conditions &= Q(founded_on__isnull=False, founded_on__lte=on)
    if version.min_age_years is not None:
        conditions &= Q(founded_on__lte=age_cutoff(version.min_age_years, on))
    if version.max_age_years is not None:
        conditions &= Q(founded_on__gt=age_cutoff(version.max_age_years + 1, on))
    if version.min_class_i_ip is not None:
        conditions &= Q(v_class_i__gte=version.min_class_i_ip)
    if version.zone_codes:
        conditions &= Q(zone__code__in=list(version.zone_codes))
    if version.industry_sections:
        conditions &= Q(industry__section__code__in=list(version.industry_sections))
    factor = Value(Decimal(version.limit_factor), output_field=MONEY)
    if version.limit_basis == "fixed":
        base = factor
    elif version.limit_basis == "rd_multiple":
        base = F("v_rd") * factor
        conditions &= Q(v_rd__isnull=False)  # PostgreSQL's GREATEST/LEAST skip NULLs
    else:
        base = F("v_revenue") * factor
        conditions &= Q(v_revenue__isnull=False)
    amount = base + F("v_programs") * Value(
        Decimal(version.uplift_per_qualification or 0), output_field=MONEY
    )
    if version.limit_floor is not None:
        amount = Greatest(amount, Value(Decimal(version.limit_floor), output_field=MONEY))
    cap = Decimal(version.amount_max)
    if version.limit_cap is not None:
        cap = min(cap, Decimal(version.limit_cap))
    amount = Least(amount, Value(cap, output_field=MONEY))
    rounded = Floor(amount / Value(LIMIT_ROUNDING, output_field=MONEY)) * Value(
        LIMIT_ROUNDING, output_field=MONEY
    )
    score = (
        Value(SCORE_BASE)
        + Value(SCORE_PER_PROGRAM) * Least(F("v_programs"), Value(SCORE_PROGRAMS_COUNTED))
        + Case(When(v_class_i__gte=1, then=Value(SCORE_CLASS_I_IP)), default=Value(0))
    )
    return (
        qs.filter(conditions)
        .annotate(m_limit=rounded, m_score=score)
        .filter(m_limit__isnull=False, m_limit__gte=version.amount_min)
    )


def current_versions() -> QuerySet[ProductVersion]:
    """The newest version of every active product."""
    newest = ProductVersion.objects.filter(product=OuterRef("product")).order_by("-number")
    return (
        ProductVersion.objects.filter(product__is_active=True)
        .annotate(newest=Subquery(newest.values("pk")[:1]))
        .filter(pk=F("newest"))
        .select_related("product")
        .order_by("pk")
    )


def _upsert(version: ProductVersion, eligible: QuerySet, now) -> int:
    sql, params = (
        eligible.annotate(m_id=F("pk"))
        .values_list("m_id", "m_limit", "m_score")
        .query.sql_with_params()
    )
    # ``sql`` is Django's own compilation of the queryset; values travel as parameters.
    head = (
        "INSERT INTO financing_match (enterprise_id, product_version_id, product_id, "
        "indicative_limit, score, computed_at) SELECT q.m_id, %s, %s, q.m_limit, q.m_score, "
        "%s FROM ("
    )
    tail = (
        ") q WHERE true ON CONFLICT (enterprise_id, product_version_id) DO UPDATE SET "
        "indicative_limit = excluded.indicative_limit, score = excluded.score, "
        "computed_at = excluded.computed_at"
    )
    statement = head + sql + tail
    with connection.cursor() as cursor:
        cursor.execute(statement, [version.pk, version.product_id, now, *params])
        return cursor.rowcount


def rematch(
    *,
    enterprise_ids=None,
    id_range: tuple[int, int] | None = None,
    product_ids=None,
    on: date | None = None,
) -> int:
    """Recompute matches of the given enterprises (all when None) with the current versions
    of the given products (all active when None), and remove the matches of that scope the
    run no longer finds (including those of superseded versions). Idempotent."""
    on = on or timezone.localdate()
    now = timezone.now()
    versions = current_versions()
    if product_ids is not None:
        versions = versions.filter(product_id__in=list(product_ids))
    scope = Q()
    stale = Match.objects.filter(computed_at__lt=now)
    if enterprise_ids is not None:
        scope &= Q(pk__in=list(enterprise_ids))
        stale = stale.filter(enterprise_id__in=list(enterprise_ids))
    if id_range is not None:
        scope &= Q(pk__gte=id_range[0], pk__lt=id_range[1])
        stale = stale.filter(enterprise_id__gte=id_range[0], enterprise_id__lt=id_range[1])
    if product_ids is not None:
        stale = stale.filter(product_id__in=list(product_ids))
    written = 0
    with transaction.atomic():
        for version in versions:
            eligible = compile_version(version, on=on, qs=facts_queryset(on=on).filter(scope))
            written += _upsert(version, eligible, now)
        stale.delete()
    return written
