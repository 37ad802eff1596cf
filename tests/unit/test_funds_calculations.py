"""Every calculation of the funds with hand-worked figures (yuan, to the fen)."""

from decimal import Decimal as D

from ecosystem.funds import calculations as calc


def test_headroom_is_leverage_times_fund_less_the_filed_balance():
    # ¥200M × 10 = ¥2,000M; ¥1,234,567,890.12 filed → ¥765,432,109.88 left.
    assert calc.headroom(
        fund_size=D("200000000"), leverage_cap=D("10"), filed_balance=D("1234567890.12")
    ) == D("765432109.88")
    # Filed beyond the cap (a cut fund): no headroom, never negative.
    assert calc.headroom(fund_size=D("100"), leverage_cap=D("2.5"), filed_balance=D("300")) == D(
        "0.00"
    )


def test_the_firm_cap_left_this_year():
    assert calc.firm_cap_left(cap=D("30000000"), filed_this_year=D("29000000.50")) == D("999999.50")


def test_compensation_is_the_share_of_the_principal_when_caps_allow():
    # 50 % of ¥1,234,567.89 = ¥617,283.945 → ¥617,283.95 (half up).
    amount = calc.compensation(
        share=D("0.5"),
        principal=D("1234567.89"),
        bank_compensated=D("0"),
        cumulative_cap=D("50000000"),
        fund_size=D("200000000"),
        fund_committed=D("0"),
    )
    assert amount == D("617283.95")


def test_compensation_stops_at_the_banks_cumulative_cap():
    # Share 40 % of ¥1,000,000 = ¥400,000, but the bank has ¥4,750,000 of its ¥5,000,000.
    assert calc.compensation(
        share=D("0.4"),
        principal=D("1000000"),
        bank_compensated=D("4750000"),
        cumulative_cap=D("5000000"),
        fund_size=D("200000000"),
        fund_committed=D("4750000"),
    ) == D("250000.00")


def test_compensation_stops_at_the_funds_remaining_money_and_never_goes_negative():
    assert calc.compensation(
        share=D("0.5"),
        principal=D("1000000"),
        bank_compensated=D("0"),
        cumulative_cap=D("50000000"),
        fund_size=D("10000000"),
        fund_committed=D("9900000.01"),
    ) == D("99999.99")
    assert calc.compensation(
        share=D("0.5"),
        principal=D("1000000"),
        bank_compensated=D("0"),
        cumulative_cap=D("50000000"),
        fund_size=D("10000000"),
        fund_committed=D("10000001"),
    ) == D("0.00")


def test_a_recovery_refunds_the_pools_share_up_to_what_it_paid():
    # 50 % of ¥333,333.33 recovered = ¥166,666.665 → ¥166,666.67.
    assert calc.refund(
        share=D("0.5"), recovered=D("333333.33"), claim_amount=D("500000"), refunded=D("0")
    ) == D("166666.67")
    # ¥450,000 already refunded of ¥500,000: at most ¥50,000 more.
    assert calc.refund(
        share=D("0.5"), recovered=D("400000"), claim_amount=D("500000"), refunded=D("450000")
    ) == D("50000.00")


def test_the_subsidy_is_the_rate_of_the_interest_within_the_firms_annual_cap():
    # 30 % of ¥41,666.67 interest = ¥12,500.001 → ¥12,500.00.
    assert calc.subsidy(
        rate=D("0.3"), interest_paid=D("41666.67"), cap=D("500000"), granted_this_year=D("0")
    ) == D("12500.00")
    # ¥495,000 granted already this year: ¥5,000 left of ¥500,000.
    assert calc.subsidy(
        rate=D("0.3"), interest_paid=D("41666.67"), cap=D("500000"), granted_this_year=D("495000")
    ) == D("5000.00")
