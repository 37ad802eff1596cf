"""Lifecycle stage: every threshold is inclusive, ages are whole years, reasons explain."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from ecosystem.enterprises.lifecycle import (
    LIFECYCLE_THRESHOLDS,
    LifecycleStage,
    age_in_years,
    derive_stage,
)

ON = date(2025, 6, 15)
STARTUP, GROWTH, MATURITY = (
    LifecycleStage.STARTUP,
    LifecycleStage.GROWTH,
    LifecycleStage.MATURITY,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def stage(founded_on, revenue, employees, on=ON):
    return derive_stage(founded_on=founded_on, on=on, revenue=Decimal(revenue), employees=employees)


@pytest.mark.parametrize(
    ("founded_on", "revenue", "employees", "expected"),
    [
        # growth age: exactly 3 years on the day, and one day short
        (date(2022, 6, 15), "10000000", 0, GROWTH),
        (date(2022, 6, 16), "10000000", 0, STARTUP),
        (date(2022, 6, 15), "0", 50, GROWTH),
        (date(2022, 6, 16), "0", 50, STARTUP),
        # maturity age: exactly 8 years on the day, and one day short
        (date(2017, 6, 15), "100000000", 0, MATURITY),
        (date(2017, 6, 16), "100000000", 0, GROWTH),
        (date(2017, 6, 15), "0", 300, MATURITY),
        (date(2017, 6, 16), "0", 300, GROWTH),
        # growth revenue: at the threshold and one yuan below
        (date(2020, 1, 1), "10000000", 0, GROWTH),
        (date(2020, 1, 1), "9999999", 0, STARTUP),
        (date(2020, 1, 1), "9999999.99", 0, STARTUP),
        # maturity revenue: at the threshold and one yuan below
        (date(2010, 1, 1), "100000000", 0, MATURITY),
        (date(2010, 1, 1), "99999999", 0, GROWTH),
        # growth headcount: at and below
        (date(2020, 1, 1), "0", 50, GROWTH),
        (date(2020, 1, 1), "0", 49, STARTUP),
        # maturity headcount: at and below
        (date(2010, 1, 1), "0", 300, MATURITY),
        (date(2010, 1, 1), "0", 299, GROWTH),
        # old but small stays a start-up; old and only growth-sized is growth
        (date(2000, 1, 1), "9999999", 49, STARTUP),
        (date(2017, 6, 15), "99999999", 299, GROWTH),
        # maturity size while younger than 3 still counts as growth
        (date(2024, 6, 15), "100000000", 0, GROWTH),
        (date(2025, 6, 15), "0", 300, GROWTH),
        # either size test suffices
        (date(2010, 1, 1), "100000000", 1, MATURITY),
        (date(2010, 1, 1), "1", 300, MATURITY),
    ],
)
def test_stage_follows_inclusive_thresholds(founded_on, revenue, employees, expected):
    assert stage(founded_on, revenue, employees).stage == expected


@pytest.mark.parametrize(
    ("founded_on", "on", "expected"),
    [
        (date(2022, 6, 15), date(2025, 6, 15), 3),
        (date(2022, 6, 16), date(2025, 6, 15), 2),
        (date(2020, 12, 31), date(2021, 12, 30), 0),
        (date(2020, 12, 31), date(2021, 12, 31), 1),
        (date(2025, 6, 15), date(2025, 6, 15), 0),
        # founded on 29 February: in common years the anniversary is 28 February
        (date(2016, 2, 29), date(2019, 2, 27), 2),
        (date(2016, 2, 29), date(2019, 2, 28), 3),
        (date(2016, 2, 29), date(2019, 3, 1), 3),
        # ...and in leap years it is 29 February again
        (date(2016, 2, 29), date(2024, 2, 28), 7),
        (date(2016, 2, 29), date(2024, 2, 29), 8),
    ],
)
def test_age_counts_whole_years_completed_on_the_anniversary(founded_on, on, expected):
    assert age_in_years(founded_on, on) == expected
    assert (
        derive_stage(founded_on=founded_on, on=on, revenue=Decimal(0), employees=0).age_years
        == expected
    )


@pytest.mark.parametrize(
    ("on", "revenue", "expected"),
    [
        (date(2019, 2, 27), "10000000", STARTUP),
        (date(2019, 2, 28), "10000000", GROWTH),
        (date(2024, 2, 28), "100000000", GROWTH),
        (date(2024, 2, 29), "100000000", MATURITY),
    ],
)
def test_firm_founded_on_29_february_changes_stage_on_its_anniversary(on, revenue, expected):
    assert stage(date(2016, 2, 29), revenue, 0, on=on).stage == expected


@pytest.mark.parametrize(
    ("founded_on", "revenue", "employees", "missing_reason"),
    [
        (None, Decimal("500000000"), 1000, "The founding date is missing."),
        (date(2000, 1, 1), None, 1000, "The yearly revenue is missing."),
        (date(2000, 1, 1), Decimal("500000000"), None, "The number of employees is missing."),
    ],
)
def test_missing_data_gives_start_up_and_names_what_is_missing(
    founded_on, revenue, employees, missing_reason
):
    result = derive_stage(founded_on=founded_on, on=ON, revenue=revenue, employees=employees)
    assert result.stage == STARTUP
    assert missing_reason in result.reasons
    assert result.age_years == (25 if founded_on else None)


def test_all_missing_data_is_listed():
    result = derive_stage(founded_on=None, on=ON, revenue=None, employees=None)
    assert result.stage == STARTUP
    assert result.reasons == [
        "Shown as start-up until the profile is complete.",
        "The founding date is missing.",
        "The yearly revenue is missing.",
        "The number of employees is missing.",
    ]


def test_founding_date_after_the_day_gives_start_up_and_asks_for_a_check():
    result = stage(date(2025, 6, 16), "500000000", 1000)
    assert result.stage == STARTUP
    assert result.age_years is None
    assert result.reasons == [
        "The founding date 2025-06-16 is later than 2025-06-15; please check it."
    ]


@pytest.mark.parametrize(
    ("founded_on", "revenue", "employees", "expected_reasons"),
    [
        (
            date(2023, 6, 1),
            "20000000",
            10,
            ["Founded 2 years ago (growth needs at least 3)."],
        ),
        (
            date(2024, 6, 1),
            "0",
            3,
            [
                "Founded 1 year ago (growth needs at least 3).",
                "Below the growth size thresholds: revenue ¥0 (needs ¥10,000,000) "
                "and headcount 3 (needs 50).",
            ],
        ),
        (
            date(2020, 6, 1),
            "12500000.50",
            60,
            [
                "Founded 5 years ago (growth needs at least 3).",
                "Revenue of ¥12,500,000.50 reaches the growth threshold of ¥10,000,000.",
                "Headcount of 60 reaches the growth threshold of 50.",
                "Founded 5 years ago (maturity needs at least 8).",
                "Below the maturity size thresholds: revenue ¥12,500,000.50 "
                "(needs ¥100,000,000) and headcount 60 (needs 300).",
            ],
        ),
        (
            date(2023, 6, 1),
            "150000000",
            10,
            [
                "Revenue of ¥150,000,000 reaches the maturity threshold of ¥100,000,000.",
                "Founded 2 years ago (maturity needs at least 8).",
            ],
        ),
        (
            date(2010, 6, 1),
            "0",
            300,
            [
                "Founded 15 years ago (maturity needs at least 8).",
                "Headcount of 300 reaches the maturity threshold of 300.",
            ],
        ),
    ],
)
def test_reasons_explain_the_stage_in_plain_sentences(
    founded_on, revenue, employees, expected_reasons
):
    assert stage(founded_on, revenue, employees).reasons == expected_reasons


def test_thresholds_are_data_that_can_be_replaced():
    lenient = replace(LIFECYCLE_THRESHOLDS, growth_min_age_years=2)
    result = derive_stage(
        founded_on=date(2023, 6, 15),
        on=ON,
        revenue=Decimal("10000000"),
        employees=0,
        thresholds=lenient,
    )
    assert result.stage == GROWTH
    assert stage(date(2023, 6, 15), "10000000", 0).stage == STARTUP


def test_float_revenue_is_refused():
    with pytest.raises(TypeError):
        derive_stage(founded_on=date(2010, 1, 1), on=ON, revenue=1e8, employees=0)


@pytest.mark.parametrize(
    ("member", "value", "label"),
    [
        (STARTUP, "startup", "Start-up"),
        (GROWTH, "growth", "Growth"),
        (MATURITY, "maturity", "Maturity"),
    ],
)
def test_stage_has_stable_value_and_translatable_label(member, value, label):
    assert member == value
    assert LifecycleStage(value) is member
    assert str(member.label) == label
    assert (value, member.label) in LifecycleStage.choices()
