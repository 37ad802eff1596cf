"""One enterprise's rematch (facts read once, versions decided in Python, one INSERT) stores
exactly what the range rematch (one SQL upsert per version over the facts table) stores:
the same matches with the same limit, score, product and declared-figures flag, and it
removes the same stale ones."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem.chains.models import ChainNode, EnterpriseNode
from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
from ecosystem.financing.eligibility import firm, firm_write
from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.models import Match, Product, ProductVersion
from tests.factories import BankFactory, ProgramFactory, ZoneFactory
from tests.worlds.matching import (
    BASE_VERSION,
    ON,
    PROGRAMS,
    build_enterprise,
    enterprise_st,
    industry_divisions,
    version_st,
)

NODES = ["ic/design", "ic/design/memory", "ic/manufacturing"]


def _stored() -> dict:
    return {
        (m.enterprise_id, m.product_version_id): (
            m.product_id,
            m.indicative_limit,
            m.score,
            m.figures_declared,
        )
        for m in Match.objects.all()
    }


def _versions(specs, bank):
    """One product per spec; every other product gets a superseded first version, and the
    last product is inactive (its matches are stale)."""
    versions = []
    for i, (spec, nodes) in enumerate(specs):
        product = Product.objects.create(
            bank=bank,
            code=f"p{i}",
            kind="unsecured",
            name_zh=f"产品{i}",
            is_active=i < len(specs) - 1 or len(specs) == 1,
        )
        terms = {
            "amount_max": Decimal(20_000_000),
            "term_min_months": 6,
            "term_max_months": 36,
            "rate_min": Decimal("3.1"),
            "rate_max": Decimal("4.5"),
        }
        if i % 2:
            ProductVersion.objects.create(product=product, number=1, **terms, **BASE_VERSION)
        versions.append(
            ProductVersion.objects.create(
                product=product, number=2, chain_nodes=sorted(nodes), **terms, **spec
            )
        )
    return versions


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    enterprises=st.lists(
        st.tuples(enterprise_st, st.sets(st.sampled_from(NODES), max_size=2)),
        min_size=1,
        max_size=5,
    ),
    versions=st.lists(
        st.tuples(version_st, st.sets(st.sampled_from(["ic/design", "ic"]), max_size=1)),
        min_size=1,
        max_size=4,
    ),
    drop_years=st.sets(st.integers(0, 4)),
)
def test_one_firm_rematch_stores_what_the_range_rematch_stores(enterprises, versions, drop_years):
    Match.objects.all().delete()
    EnterpriseNode.objects.all().delete()
    QualificationClaim.objects.all().delete()
    FinancialYear.objects.all().delete()
    Enterprise.objects.all().delete()
    Product.objects.all().delete()
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    divisions = industry_divisions()
    built = []
    for spec, nodes in enterprises:
        enterprise = build_enterprise(spec, zones, programs, divisions)
        for path in nodes:
            EnterpriseNode.objects.create(
                enterprise=enterprise, node=ChainNode.objects.get(path=path)
            )
        built.append(enterprise)
    _versions(versions, BankFactory())
    ids = [e.pk for e in built]
    span = (min(ids), max(ids) + 1)

    rematch(id_range=span, on=ON)
    by_range = _stored()
    Match.objects.all().delete()
    for pk in ids:
        rematch(enterprise_ids=[pk], on=ON)
    assert _stored() == by_range

    # A change, then each path from the other's matches: updates and stale deletions agree.
    FinancialYear.objects.filter(
        enterprise_id__in=[ids[i] for i in drop_years if i < len(ids)]
    ).delete()
    for pk in ids:
        rematch(enterprise_ids=[pk], on=ON)
    one_by_one = _stored()
    rematch(id_range=span, on=ON)
    assert _stored() == one_by_one


@pytest.mark.django_db
def test_a_version_changed_in_place_is_not_served_from_the_cache():
    """Compiled versions are cached by id and creation time; a version re-created under
    the same id (a rolled-back test on SQLite) is read again."""
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    spec = {
        "age": (6, 0),
        "verified_year": {
            "revenue": Decimal(20_000_000),
            "rd_share": 5,
            "employees": 100,
            "class_i": 1,
            "class_i_kind": "ip_invention_patents",
        },
        "programs": {"hte"},
        "expired": set(),
        "zone": "a",
        "section": None,
    }
    enterprise = build_enterprise(spec, zones, programs)
    (version,) = _versions([({**BASE_VERSION, "min_revenue": Decimal(1)}, set())], BankFactory())
    rematch(enterprise_ids=[enterprise.pk], on=ON)
    assert Match.objects.filter(enterprise=enterprise).count() == 1
    pk = version.pk
    version.delete()
    ProductVersion.objects.create(
        pk=pk,
        product=Product.objects.get(),
        number=3,
        amount_max=Decimal(20_000_000),
        term_min_months=6,
        term_max_months=36,
        rate_min=Decimal("3.1"),
        rate_max=Decimal("4.5"),
        **{**BASE_VERSION, "min_revenue": Decimal(900_000_000)},
    )
    rematch(enterprise_ids=[enterprise.pk], on=ON)
    assert not Match.objects.filter(enterprise=enterprise).exists()
    assert len(firm._compiled) >= 2


@pytest.mark.django_db
def test_several_firms_in_batches_of_inserts_store_what_the_range_rematch_stores(monkeypatch):
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    spec = {
        "age": (6, 0),
        "verified_year": {
            "revenue": Decimal(20_000_000),
            "rd_share": 5,
            "employees": 100,
            "class_i": 1,
            "class_i_kind": "ip_invention_patents",
        },
        "programs": {"hte"},
        "expired": set(),
        "zone": "a",
        "section": None,
    }
    ids = [build_enterprise(spec, zones, programs).pk for _ in range(3)]
    terms = [
        ({**BASE_VERSION, "limit_basis": "revenue_share", "limit_factor": f}, set())
        for f in (Decimal("0.1"), Decimal("0.2"), Decimal("0.3"))
    ]
    _versions([*terms, terms[0]], BankFactory())
    rematch(id_range=(min(ids), max(ids) + 1), on=ON)
    by_range = _stored()
    assert len(by_range) == 9
    Match.objects.all().delete()
    monkeypatch.setattr(firm_write, "BATCH", 2)
    assert rematch(enterprise_ids=iter(ids), on=ON) == 9
    assert _stored() == by_range
