"""The fund dashboard by bank, zone, chain and stage: every row recomputed loan by loan,
claim by claim and subsidy by subsidy in Python (the stage by ``stage_of``, the chains
from the placements), against the figures the dashboard sums in SQL; the hand-worked
figures of the world; who sees which rows."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation

from ecosystem.chains.models import EnterpriseNode
from ecosystem.enterprises.stage import Basis, stage_of
from ecosystem.funds.dashboard import DIMENSIONS, fund_dashboard, scheme_summary
from ecosystem.funds.models import CompensationClaim, Filing, SubsidyApplication
from tests.worlds.fund_dashboard import DashboardWorld, M

pytestmark = pytest.mark.django_db

FIGURES = (
    "filed_balance",
    "loans",
    "firms",
    "non_performing",
    "npl_ratio",
    "claimed",
    "approved",
    "paid",
    "subsidies_paid",
)


def _keys(loan, by: str) -> list[str]:
    """The labels a loan counts under, found without the dashboard's SQL."""
    firm = loan.enterprise
    if by == "bank":
        return [loan.bank.name]
    if by == "zone":
        return [firm.zone.name]
    if by == "stage":
        return [str(stage_of(firm, basis=Basis.DECLARED).stage.label)]
    chains = {p.node.chain.name for p in EnterpriseNode.objects.filter(enterprise=firm)}
    return sorted(chains) or ["not on a chain"]


def by_hand(scheme, by: str, banks=None) -> dict[str, dict]:
    groups: dict = defaultdict(
        lambda: {name: Decimal(0) for name in FIGURES} | {"loans": set(), "firms": set()}
    )

    def seen(loan):
        return banks is None or loan.bank_id in banks

    for filing in Filing.objects.filter(scheme=scheme):
        loan = filing.loan
        if filing.status not in ("filed", "confirmed") or not seen(loan):
            continue
        for key in _keys(loan, by):
            group = groups[key]
            group["filed_balance"] += loan.outstanding_principal
            group["loans"].add(loan.pk)
            group["firms"].add(loan.enterprise_id)
            if loan.is_non_performing:
                group["non_performing"] += loan.outstanding_principal
    for claim in CompensationClaim.objects.all():
        loan = claim.filing.loan
        if claim.filing.scheme_id != scheme.pk or claim.status == "refused" or not seen(loan):
            continue
        for key in _keys(loan, by):
            groups[key]["claimed"] += claim.requested
            if claim.status in ("approved", "paid"):
                groups[key]["approved"] += claim.amount
            if claim.status == "paid":
                groups[key]["paid"] += claim.amount
    for application in SubsidyApplication.objects.all():
        if application.scheme_id == scheme.pk and application.status == "paid":
            if seen(application.loan):
                for key in _keys(application.loan, by):
                    groups[key]["subsidies_paid"] += application.amount
    for group in groups.values():
        group["loans"], group["firms"] = len(group["loans"]), len(group["firms"])
        balance = group["filed_balance"]
        group["npl_ratio"] = (
            (group["non_performing"] / balance).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            if balance
            else 0
        )
    return dict(groups)


def _shown(rows, scheme) -> dict[str, dict]:
    return {
        row["label"]: {name: row[name] for name in FIGURES}
        for row in rows
        if row["scheme"] == scheme
    }


@pytest.fixture
def world():
    return DashboardWorld()


@pytest.mark.parametrize("by", DIMENSIONS)
def test_each_breakdown_equals_its_figures_counted_object_by_object(world, by):
    with translation.override("en"):
        rows = fund_dashboard(user=world.admin, by=by)
        for scheme in (world.pool, world.city_pool, world.subsidy):
            assert _shown(rows, scheme) == by_hand(scheme, by), scheme
    assert {row["scheme"] for row in rows} >= {world.pool, world.city_pool, world.far_pool}


def test_the_pool_by_stage_as_worked_by_hand(world):
    """Start-ups: the young firm (¥1M, ¥600k substandard) and the small one, whose latest
    year (¥20,000, 10 people) counts, not the year before (¥350k, ¥700k lost); growth: the
    mid firm (80 people: ¥900k doubtful, ¥500k filed); maturity: the big firm."""
    with translation.override("en"):
        rows = _shown(fund_dashboard(user=world.fm, by="stage"), world.pool)
    assert list(rows) == ["Start-up", "Growth", "Maturity"]
    startup, growth, maturity = rows.values()
    assert (startup["filed_balance"], startup["non_performing"]) == (265 * M, 130 * M)
    assert (startup["loans"], startup["firms"]) == (4, 2)
    assert (growth["filed_balance"], growth["non_performing"]) == (140 * M, 90 * M)
    assert (maturity["filed_balance"], maturity["non_performing"]) == (400 * M, 150 * M)
    assert maturity["npl_ratio"] == Decimal("0.3750")
    # the small firm's ¥350k approved, the young firm's ¥150k submitted (its refused one
    # not counted); the big firm's ¥750k paid
    assert (startup["claimed"], startup["approved"], startup["paid"]) == (50 * M, 35 * M, 0)
    assert (maturity["claimed"], maturity["paid"]) == (75 * M, 75 * M)


def test_the_summary_is_the_sum_of_the_bank_zone_and_stage_rows_not_of_the_chains(world):
    summary = {row["scheme"]: row for row in scheme_summary(user=world.admin)}
    pool = summary[world.pool]
    assert (pool["filed_balance"], pool["non_performing"], pool["loans"]) == (805 * M, 370 * M, 8)
    assert (pool["claimed"], pool["approved"], pool["paid"]) == (125 * M, 110 * M, 75 * M)
    assert pool["headroom"] == 5 * 1000 * M - 805 * M
    assert pool["leverage_used"] == Decimal("0.81")
    for by in ("bank", "zone", "stage"):
        rows = [r for r in fund_dashboard(user=world.admin, by=by) if r["scheme"] == world.pool]
        assert sum(r["filed_balance"] for r in rows) == pool["filed_balance"]
        assert sum(r["claimed"] for r in rows) == pool["claimed"]
    chains = [r for r in fund_dashboard(user=world.admin, by="chain") if r["scheme"] == world.pool]
    # the big firm sits on both chains: its loans count in each
    assert sum(r["filed_balance"] for r in chains) == pool["filed_balance"] + 400 * M
    assert summary[world.subsidy]["subsidies_paid"] == Decimal("2000.75")
    assert summary[world.subsidy]["headroom"] is None


def test_a_bank_manager_sees_only_their_banks_loans(world):
    bank = world.banks[0]
    rows = fund_dashboard(user=world.manager, by="zone")
    assert {row["scheme"] for row in rows} == {world.pool, world.city_pool}
    for scheme in (world.pool, world.city_pool):
        assert _shown(rows, scheme) == by_hand(scheme, "zone", banks={bank.pk})
    assert {r["bank"] for r in fund_dashboard(user=world.manager)} == {bank.name}


def test_who_sees_which_schemes(world):
    def schemes(user):
        return {row["scheme"] for row in scheme_summary(user=user)}

    assert schemes(world.fm) == {world.pool}
    # zone B: the pool covering it, the city's pool covering it, the subsidy it owns
    assert schemes(world.official_b) == {world.pool, world.city_pool, world.subsidy}
    assert schemes(world.admin) == {world.pool, world.city_pool, world.subsidy, world.far_pool}
    member = world.firms["mid"]
    from tests.factories import EnterpriseMemberFactory

    assert schemes(EnterpriseMemberFactory(enterprise=member)) == set()


def test_labels_are_names_in_the_language_of_the_page_never_codes(world):
    codes = {world.zone_a.code, world.chain_x.code, world.banks[0].code, "startup", "growth"}
    for language, names in (
        ("en", {world.zone_a.name_en, world.chain_x.name_en, "not on a chain"}),
        ("zh-hans", {world.zone_a.name_zh, world.chain_x.name_zh, "不在产业链上"}),
    ):
        with translation.override(language):
            labels = {
                row["label"] for by in DIMENSIONS for row in fund_dashboard(user=world.admin, by=by)
            }
        assert names <= labels, language
        assert not codes & labels
