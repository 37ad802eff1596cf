"""The evaluator and the compiled query agree on the chain criteria too: chain nodes (a
node covers those under it) and confirmed supplier of a leader (only confirmed links of
leaders still designated count)."""

from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem.chains.models import Chain, ChainLeader, ChainNode, EnterpriseNode, SupplierLink
from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
from ecosystem.financing.eligibility.evaluator import evaluate
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.eligibility.matcher import eligible, rematch
from ecosystem.financing.models import Match, Product, ProductVersion
from tests.factories import BankFactory, EnterpriseFactory, ProgramFactory, ZoneFactory
from tests.worlds.matching import (
    BASE_ENTERPRISE,
    BASE_VERSION,
    ON,
    PROGRAMS,
    build_enterprise,
    enterprise_st,
    version_st,
)

NODE_PATHS = [
    "ic/design",
    "ic/design/memory",
    "ic/design/processors",
    "ic/manufacturing",
    "ai/compute/ai-chips",
    "biomedicine/devices/ivd",
]
CRITERION_PATHS = [*NODE_PATHS, "ic", "ai", "ai/compute", "biomedicine/devices"]
LEADERS = ["l1", "l2", "ended"]

chain_st = st.fixed_dictionaries(
    {
        "nodes": st.sets(st.sampled_from(NODE_PATHS), max_size=3),
        "links": st.dictionaries(
            st.sampled_from(LEADERS),
            st.sampled_from(["confirmed", "requested", "invited", "ended", "declined"]),
            max_size=3,
        ),
    }
)
chain_version_st = st.fixed_dictionaries(
    {
        "chain_nodes": st.sets(st.sampled_from(CRITERION_PATHS), max_size=2).map(sorted),
        "requires_confirmed_supplier": st.booleans(),
        "supplier_of_leaders": st.sets(st.sampled_from(["l1", "l2", "ended"]), max_size=2).map(
            sorted
        ),
    }
)


def _leaders(zone):
    chain = Chain.objects.get(code="ic")
    leaders = {}
    for code in LEADERS:
        enterprise = EnterpriseFactory(zone=zone, name=f"leader {code}")
        leaders[code] = ChainLeader.objects.create(
            chain=chain,
            enterprise=enterprise,
            ended_at=timezone.now() if code == "ended" else None,
        )
    return leaders


def _place(enterprise, spec, leaders):
    for path in spec["nodes"]:
        EnterpriseNode.objects.create(enterprise=enterprise, node=ChainNode.objects.get(path=path))
    for code, status in spec["links"].items():
        SupplierLink.objects.create(leader=leaders[code], supplier=enterprise, status=status)


def _version(changes, leaders):
    product = Product.objects.create(
        bank=BankFactory(), code="p", kind="supply_chain", name_zh="产品"
    )
    changes = dict(changes)
    changes["supplier_of_leaders"] = [
        leaders[c].enterprise.uscc for c in changes.get("supplier_of_leaders", [])
    ]
    return ProductVersion.objects.create(
        product=product,
        number=1,
        amount_max=Decimal(20_000_000),
        term_min_months=6,
        term_max_months=36,
        rate_min=Decimal("3.1"),
        rate_max=Decimal("4.5"),
        **changes,
    )


def _agree(version):
    """The evaluator, the compiled query and each firm's own rematch agree on every firm of
    the world: the firms built for the example and the chain leaders' firms alike (a
    version with few criteria matches the leaders too)."""
    everyone = list(Enterprise.objects.order_by("pk"))
    compiled = eligible(version, on=ON)
    for enterprise in everyone:
        result = evaluate(facts_for(enterprise, on=ON), version, on=ON)
        assert (enterprise.pk in compiled) == result.eligible, (result.failed, compiled)
        if result.eligible:
            assert compiled[enterprise.pk] == (result.limit, result.score, result.figures_declared)
    # One enterprise's rematch (versions decided in Python, ``eligibility.firm``) too.
    for enterprise in everyone:
        rematch(enterprise_ids=[enterprise.pk], product_ids=[version.product_id], on=ON)
    stored = {
        m.enterprise_id: (m.indicative_limit, m.score, m.figures_declared)
        for m in Match.objects.filter(product_version=version)
    }
    assert stored == compiled
    return compiled


@pytest.mark.django_db
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    enterprises=st.lists(st.tuples(enterprise_st, chain_st), min_size=1, max_size=5),
    version=version_st,
    chain_terms=chain_version_st,
)
def test_evaluator_and_compiled_query_agree_on_chain_criteria(enterprises, version, chain_terms):
    SupplierLink.objects.all().delete()
    ChainLeader.objects.all().delete()
    EnterpriseNode.objects.all().delete()
    QualificationClaim.objects.all().delete()
    FinancialYear.objects.all().delete()
    Enterprise.objects.all().delete()
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    leaders = _leaders(zones["a"])
    built = []
    for spec, chain_spec in enterprises:
        enterprise = build_enterprise(spec, zones, programs)
        _place(enterprise, chain_spec, leaders)
        built.append(enterprise)
    _agree(_version({**version, **chain_terms}, leaders))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("chain_terms", "chain_spec", "eligible_expected"),
    [
        ({"chain_nodes": ["ic/design"]}, {"nodes": {"ic/design"}}, True),
        ({"chain_nodes": ["ic/design"]}, {"nodes": {"ic/design/memory"}}, True),
        ({"chain_nodes": ["ic"]}, {"nodes": {"ic/design/memory"}}, True),
        ({"chain_nodes": ["ic/design/memory"]}, {"nodes": {"ic/design"}}, False),
        ({"chain_nodes": ["ai/compute"]}, {"nodes": {"ic/design"}}, False),
        ({"chain_nodes": ["ic/design"]}, {"nodes": set()}, False),
        ({"requires_confirmed_supplier": True}, {"links": {"l1": "confirmed"}}, True),
        ({"requires_confirmed_supplier": True}, {"links": {"l1": "requested"}}, False),
        ({"requires_confirmed_supplier": True}, {"links": {"l1": "ended"}}, False),
        ({"requires_confirmed_supplier": True}, {"links": {"ended": "confirmed"}}, False),
        (
            {"requires_confirmed_supplier": True, "supplier_of_leaders": ["l2"]},
            {"links": {"l1": "confirmed"}},
            False,
        ),
        (
            {"requires_confirmed_supplier": True, "supplier_of_leaders": ["l1", "l2"]},
            {"links": {"l1": "confirmed"}},
            True,
        ),
    ],
)
def test_chain_criteria_agree_at_every_edge(chain_terms, chain_spec, eligible_expected):
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    leaders = _leaders(zones["a"])
    enterprise = build_enterprise(BASE_ENTERPRISE, zones, programs)
    _place(enterprise, {"nodes": set(), "links": {}, **chain_spec}, leaders)
    version = _version({**BASE_VERSION, **chain_terms}, leaders)
    result = evaluate(facts_for(enterprise, on=ON), version, on=ON)
    assert result.eligible == eligible_expected, result.failed
    compiled = _agree(version)
    assert (enterprise.pk in compiled) == eligible_expected


@pytest.mark.django_db
def test_a_version_without_chain_terms_matches_the_leaders_in_every_path():
    """The example Hypothesis found: a version with no criterion but its fixed limit
    matches every firm, the chain leaders' firms included; each firm's rematch stores them
    all, as the compiled query finds them."""
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    leaders = _leaders(zones["a"])
    enterprise = build_enterprise(BASE_ENTERPRISE, zones, programs)
    version = _version(BASE_VERSION, leaders)
    compiled = _agree(version)
    assert set(compiled) == {enterprise.pk, *(leader.enterprise_id for leader in leaders.values())}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("limit_terms", "matched"),
    [
        # ¥1,500 fixed rounds down to ¥0: no offer, though the minimum amount is ¥0.
        ({"limit_basis": "fixed", "limit_factor": Decimal("1500")}, False),
        # Exactly one rounding step is the smallest offer.
        ({"limit_basis": "fixed", "limit_factor": Decimal("10000")}, True),
        # A firm with no R&D expense: R&D × 2 is ¥0.
        ({"limit_basis": "rd_multiple", "limit_factor": Decimal("2")}, False),
        # ... unless the product's floor lifts it.
        (
            {
                "limit_basis": "rd_multiple",
                "limit_factor": Decimal("2"),
                "limit_floor": Decimal(1_000_000),
            },
            True,
        ),
    ],
)
def test_a_limit_rounded_down_to_nothing_is_no_match(limit_terms, matched):
    zones = {code: ZoneFactory(code=code) for code in ("a", "b")}
    programs = {code: ProgramFactory(code=code) for code in PROGRAMS}
    leaders = _leaders(zones["a"])
    spec = {
        **BASE_ENTERPRISE,
        "verified_year": {**BASE_ENTERPRISE["verified_year"], "rd_share": 0},
    }
    enterprise = build_enterprise(spec, zones, programs)
    version = _version({**BASE_VERSION, **limit_terms, "amount_min": Decimal(0)}, leaders)
    result = evaluate(facts_for(enterprise, on=ON), version, on=ON)
    assert result.eligible == matched, result.failed
    if not matched:
        assert [c.key for c in result.failed] == ["limit"]
    compiled = _agree(version)
    assert (enterprise.pk in compiled) == matched
