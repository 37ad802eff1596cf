"""The fund dashboard: every figure recomputed object by object from the filings, claims
and subsidy applications; scoped rows; CSV and Excel exports in both languages."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse

from ecosystem.funds import services as funds
from ecosystem.funds.dashboard import fund_dashboard
from ecosystem.funds.models import CompensationClaim, Filing, SubsidyApplication
from tests.worlds.fund_pool import PoolWorld

pytestmark = pytest.mark.django_db


def _world():
    world = PoolWorld()
    filing = world.confirmed()
    world.default()
    claim = funds.claim_submit(filing=filing, actor=world.rm, recovery_actions="诉讼")
    funds.claim_transition(claim=claim, to="reviewed", actor=world.fm)
    funds.claim_transition(claim=claim, to="approved", actor=world.fm2)
    funds.claim_transition(claim=claim, to="paid", actor=world.fm, payment_reference="P1")
    world.file(world.another_loan("LN-2", amount=Decimal("700000")))
    return world


def _by_hand(world):
    """The pool's row for the bank, counted one object at a time."""
    live = [
        f for f in Filing.objects.filter(scheme=world.pool) if f.status in ("filed", "confirmed")
    ]
    balance = sum((f.loan.outstanding_principal for f in live), Decimal("0"))
    bad = sum((f.loan.outstanding_principal for f in live if f.loan.is_non_performing), Decimal(0))
    claims = [c for c in CompensationClaim.objects.all() if c.status != "refused"]
    return {
        "filed_balance": balance,
        "loans": len({f.loan_id for f in live}),
        "firms": len({f.loan.enterprise_id for f in live}),
        "non_performing": bad,
        "npl_ratio": (bad / balance).quantize(Decimal("0.0001")),
        "claimed": sum((c.requested for c in claims), Decimal(0)),
        "approved": sum((c.amount for c in claims if c.status in ("approved", "paid")), Decimal(0)),
        "paid": sum((c.amount for c in claims if c.status == "paid"), Decimal(0)),
        "headroom": Decimal("5000000") - balance,
    }


def test_the_pool_row_equals_the_figures_counted_object_by_object():
    world = _world()
    rows = [r for r in fund_dashboard(user=world.fm) if r["scheme"] == world.pool]
    assert len(rows) == 1
    expected = _by_hand(world)
    assert {key: rows[0][key] for key in expected} == expected
    # ¥800,000 (defaulted) + ¥700,000; half of ¥800,000 paid
    assert (expected["filed_balance"], expected["paid"]) == (Decimal("1500000"), Decimal("400000"))


def test_subsidies_paid_are_counted_and_rows_are_scoped():
    world = _world()
    application = SubsidyApplication.objects.create(
        loan=world.loan,
        scheme=world.subsidy,
        version=world.subsidy_version,
        period_start=world.loan.disbursed_on,
        period_end=world.today,
        interest_paid=Decimal("1000"),
        amount=Decimal("300"),
        status="paid",
    )
    rows = [r for r in fund_dashboard(user=world.subsidy_fm) if r["scheme"] == world.subsidy]
    assert rows[0]["subsidies_paid"] == application.amount
    assert [r["scheme"] for r in fund_dashboard(user=world.subsidy_fm)] == [world.subsidy]
    assert fund_dashboard(user=world.other.manager) == []
    assert {r["bank"] for r in fund_dashboard(user=world.manager)} == {world.bank.name}


def test_exports_in_both_languages():
    world = _world()
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.fm)
    url = reverse("funds:fund_dashboard_export", args=["bank", "csv"])
    csv = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("scheme,bank,filed balance (yuan)")
    assert "1500000.00" in csv
    zh = Client(headers={"accept-language": "zh-hans"})
    zh.force_login(world.fm)
    from openpyxl import load_workbook

    response = zh.get(reverse("funds:fund_dashboard_export", args=["schemes", "xlsx"]))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header[0] == "资金方案" and "剩余备案额度（元）" in header
    page = zh.get(reverse("funds:fund_dashboard")).content.decode()
    assert "150.00万元" in page
    outsider = Client()
    outsider.force_login(world.member)
    assert outsider.get(reverse("funds:fund_dashboard")).status_code == 404
    assert outsider.get(url).status_code == 404
