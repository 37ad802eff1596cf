"""A product version's two promises: first contact and decision, each a number of
working hours or working days within bounds; a change of promise is a new version, and
leads keep the version they were made from."""

from __future__ import annotations

import pytest
from django.utils import translation

from ecosystem.core.errors import ApplicationError
from ecosystem.financing import services as fs
from ecosystem.financing.models import ProductVersion
from tests.worlds.financing import TERMS

pytestmark = pytest.mark.django_db


def save(manager, **changes):
    return fs.product_save(
        bank=manager.bank_scope,
        actor=manager,
        code="fast",
        name_zh="快贷",
        kind="fast_loan",
        **{**TERMS, **changes},
    )


@pytest.fixture
def manager(bank_manager):
    return bank_manager


def test_a_new_promise_makes_a_new_version(manager):
    first = save(manager)
    assert (first.first_contact_target, first.first_contact_unit) == (8, "hours")
    assert (first.decision_target, first.decision_unit, first.allows_direct_offer) == (
        3,
        "days",
        False,
    )
    second = save(manager, decision_target=1, allows_direct_offer=True)
    assert second.number == first.number + 1
    assert (second.decision_target, second.allows_direct_offer) == (1, True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision_unit": "weeks"}, "decision_unit"),
        ({"first_contact_target": 0}, "first_contact_target"),
        ({"first_contact_target": 81}, "first_contact_target"),
        ({"decision_target": 31}, "decision_target"),
    ],
)
def test_a_promise_out_of_bounds_is_refused(manager, changes, field):
    with pytest.raises(ApplicationError) as excinfo:
        save(manager, **changes)
    assert field in excinfo.value.extra["errors"]
    assert not ProductVersion.objects.exists()


def test_the_promise_reads_in_words(manager):
    version = save(manager, first_contact_target=1, decision_target=2)
    with translation.override("en"):
        assert (version.first_contact_text, version.decision_text) == (
            "1 working hour",
            "2 working days",
        )
    with translation.override("zh-hans"):
        assert version.decision_text == "2 个工作日"


def test_requiring_verified_figures_is_a_term_of_the_version_set_by_the_bank(manager):
    first = save(manager)
    assert first.requires_verified_figures is False  # default: declared figures allowed
    second = save(manager, requires_verified_figures=True)
    assert (second.number, second.requires_verified_figures) == (first.number + 1, True)
