"""Changes to an enterprise rematch it after commit; a lost task is swept up by the marker."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.core.models import OutboxTask
from ecosystem.enterprises import services as es
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing import services as fs
from ecosystem.financing.models import Match, Product, ProductVersion, RematchMarker
from tests.factories import (
    BankManagerFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db

TERMS = {
    "amount_min": Decimal(100_000),
    "amount_max": Decimal(10_000_000),
    "term_min_months": 6,
    "term_max_months": 36,
    "rate_min": Decimal("3.2"),
    "rate_max": Decimal("4.2"),
    "programs_all": ["hte"],
    "limit_basis": "fixed",
    "limit_factor": Decimal(2_000_000),
}


@pytest.fixture
def setup(django_capture_on_commit_callbacks):
    ProgramFactory(code="hte")
    manager = BankManagerFactory()
    bank = manager.memberships.get().bank
    with django_capture_on_commit_callbacks(execute=True):
        version = fs.product_save(
            bank=bank, actor=manager, code="hte-loan", name_zh="高企贷", kind="unsecured", **TERMS
        )
    enterprise = EnterpriseFactory(founded_on=date(2020, 1, 1))
    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = es.claim_create(
        enterprise=enterprise,
        actor=member,
        program=ProgramFactory(code="hte"),
        certificate_number="GR1",
        year=2025,
    )
    es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", b"%PDF-1.4"))
    es.claim_transition(claim=claim, to=ClaimStatus.SUBMITTED, actor=member)
    return {
        "manager": manager,
        "bank": bank,
        "version": version,
        "enterprise": enterprise,
        "claim": claim,
        "official": ZoneOfficialFactory(zone=enterprise.zone),
    }


def test_verifying_a_claim_produces_the_match_after_commit(
    setup, django_capture_on_commit_callbacks
):
    assert not Match.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        es.claim_transition(claim=setup["claim"], to=ClaimStatus.VERIFIED, actor=setup["official"])
    match = Match.objects.get()
    assert (match.enterprise, match.product_version) == (setup["enterprise"], setup["version"])
    assert match.indicative_limit == Decimal("2000000.00")
    assert not RematchMarker.objects.exists()


def test_revoking_the_claim_removes_the_match(setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        es.claim_transition(claim=setup["claim"], to=ClaimStatus.VERIFIED, actor=setup["official"])
    assert Match.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        es.claim_transition(claim=setup["claim"], to=ClaimStatus.REVOKED, party="registry")
    assert not Match.objects.exists()


def test_a_lost_task_is_swept_up_by_the_marker(setup, django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "ecosystem.financing.tasks.rematch_enterprise.apply_async",
            side_effect=ConnectionError("broker down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        es.claim_transition(claim=setup["claim"], to=ClaimStatus.VERIFIED, actor=setup["official"])
    assert not Match.objects.exists()  # the change committed, the task was not sent
    assert RematchMarker.objects.filter(enterprise=setup["enterprise"]).exists()
    # The send waits in the outbox too (the outbox sweeper would resend it).
    assert OutboxTask.objects.filter(task="ecosystem.financing.tasks.rematch_enterprise").exists()
    assert fs.markers_sweep(older_than_seconds=0) == 1
    assert Match.objects.count() == 1
    assert not RematchMarker.objects.exists()


def test_editing_a_product_makes_a_new_version_and_rematches(
    setup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        es.claim_transition(claim=setup["claim"], to=ClaimStatus.VERIFIED, actor=setup["official"])
    old = Match.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        v2 = fs.product_save(
            bank=setup["bank"],
            actor=setup["manager"],
            code="hte-loan",
            name_zh="高企贷",
            kind="unsecured",
            **{**TERMS, "limit_factor": Decimal(3_000_000)},
        )
    assert v2.number == 2
    assert ProductVersion.objects.filter(product=v2.product).count() == 2
    match = Match.objects.get()
    assert (match.product_version, match.indicative_limit) == (v2, Decimal("3000000.00"))
    assert old.product_version.number == 1  # the old version itself is kept
    # saving the same terms again makes no new version
    fs.product_save(
        bank=setup["bank"],
        actor=setup["manager"],
        code="hte-loan",
        name_zh="高企贷",
        kind="unsecured",
        **{**TERMS, "limit_factor": Decimal(3_000_000)},
    )
    assert ProductVersion.objects.filter(product=v2.product).count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_min": Decimal(20_000_000)}, "amount_min"),
        ({"rate_min": Decimal("5"), "rate_max": Decimal("4")}, "rate_min"),
        ({"rate_max": Decimal("99")}, "rate_min"),
        ({"limit_factor": Decimal(0)}, "limit_factor"),
        ({"term_min_months": 40}, "term_min_months"),
        ({"programs_all": ["nope"]}, "programs_all"),
    ],
)
def test_product_validation_refuses_and_changes_nothing(changes, field):
    from ecosystem.core.errors import ApplicationError

    ProgramFactory(code="hte")
    manager = BankManagerFactory()
    with pytest.raises(ApplicationError) as excinfo:
        fs.product_save(
            bank=manager.memberships.get().bank,
            actor=manager,
            code="x",
            name_zh="x",
            kind="unsecured",
            **{**TERMS, **changes},
        )
    assert field in excinfo.value.extra["errors"]
    assert not Product.objects.exists()


def test_only_managers_of_the_bank_save_products():
    from ecosystem.core.errors import ApplicationError

    ProgramFactory(code="hte")
    other = BankManagerFactory()
    bank = BankManagerFactory().memberships.get().bank
    with pytest.raises(ApplicationError):
        fs.product_save(bank=bank, actor=other, code="x", name_zh="x", kind="unsecured", **TERMS)
    assert not Product.objects.exists()


def test_full_rematch_on_demand_restores_lost_matches(setup, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        es.claim_transition(claim=setup["claim"], to=ClaimStatus.VERIFIED, actor=setup["official"])
    Match.objects.all().delete()
    call_command("rematch")
    assert Match.objects.count() == 1
    Match.objects.all().delete()
    call_command("rematch", "--queue")  # eager here: the subtasks run at once
    assert Match.objects.count() == 1
