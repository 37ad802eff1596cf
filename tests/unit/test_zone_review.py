"""The zone's review queue, bulk decisions, the daily digest and dashboard figures."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.core.workdays import working_days_between
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
from ecosystem.enterprises.review import queue as selectors
from ecosystem.enterprises.review import services
from ecosystem.enterprises.tasks import send_official_digests
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.insights.zone import zone_dashboard
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    FinancialYearFactory,
    ProgramFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def submitted_claim(zone, program=None):
    enterprise = EnterpriseFactory(zone=zone)
    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = es.claim_create(
        enterprise=enterprise,
        actor=member,
        program=program or ProgramFactory(),
        certificate_number="C1",
        year=2025,
    )
    es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF))
    return es.claim_submit(claim=claim, actor=member)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),  # same Monday
        (date(2026, 11, 23), date(2026, 11, 27), 4),  # Mon → Fri
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Fri → Mon skips the weekend
        (date(2026, 11, 21), date(2026, 11, 22), 0),  # Sat → Sun
        (date(2026, 11, 2), date(2026, 11, 30), 20),  # four weeks
    ],
)
def test_working_days_skip_weekends(start, end, expected):
    assert working_days_between(start, end) == expected


def test_the_queue_holds_exactly_the_zones_waiting_items():
    zone, other = ZoneFactory(), ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    mine = submitted_claim(zone)
    submitted_claim(other)
    draft_enterprise = EnterpriseFactory(zone=zone)
    member = EnterpriseMemberFactory(enterprise=draft_enterprise)
    es.claim_create(
        enterprise=draft_enterprise,
        actor=member,
        program=ProgramFactory(),
        certificate_number="D",
        year=2025,
    )  # a draft is not waiting
    es.financial_year_save(
        enterprise=draft_enterprise,
        actor=member,
        year=2025,
        revenue=Decimal("1"),
        total_costs=Decimal("1"),
        total_assets=Decimal("1"),
        rd_expense=Decimal("0"),
        net_profit=Decimal("0"),
        employees=3,
        rd_staff=1,
    )
    queue = selectors.review_queue(user=official)
    assert [(i.kind, i.obj.pk) for i in queue] == [
        ("claim", mine.pk),
        ("financial_year", FinancialYear.objects.get().pk),
    ]


def test_ageing_is_counted_in_working_days_against_the_zone_target():
    zone = ZoneFactory(review_target_days=5)
    official = ZoneOfficialFactory(zone=zone)
    claim = submitted_claim(zone)
    QualificationClaim.objects.filter(pk=claim.pk).update(
        submitted_at=timezone.make_aware(timezone.datetime(2026, 11, 16, 10, 0))
    )
    item = selectors.review_queue(user=official, kind="claim", today=date(2026, 11, 27))[0]
    assert item.age_working_days == 9
    assert item.overdue
    assert list(selectors.review_queue(user=official, min_age=10, today=date(2026, 11, 27))) == []


def test_queue_filters_by_program_and_search():
    zone = ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    hte = ProgramFactory(code="hte")
    a = submitted_claim(zone, hte)
    submitted_claim(zone)
    assert [i.obj.pk for i in selectors.review_queue(user=official, program=hte)] == [a.pk]
    found = selectors.review_queue(user=official, kind="claim", q=a.enterprise.uscc.lower())
    assert [i.obj.pk for i in found] == [a.pk]


def test_bulk_approve_reports_a_claim_decided_meanwhile():
    zone = ZoneFactory()
    official, colleague = ZoneOfficialFactory(zone=zone), ZoneOfficialFactory(zone=zone)
    claims = [submitted_claim(zone) for _ in range(3)]
    es.claim_transition(
        claim=claims[1],
        to=ClaimStatus.REJECTED,
        actor=colleague,
        reason_code="other",
        reason_text="x",
    )
    result = services.claims_bulk_decide(
        claim_ids=[c.pk for c in claims], actor=official, to=ClaimStatus.VERIFIED
    )
    assert [c.pk for c in result.done] == [claims[0].pk, claims[2].pk]
    assert len(result.refused) == 1 and str(colleague) in result.refused[0][1]
    statuses = list(QualificationClaim.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [ClaimStatus.VERIFIED, ClaimStatus.REJECTED, ClaimStatus.VERIFIED]


def test_bulk_reject_needs_a_reason_and_a_refusal_changes_nothing():
    zone = ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    claims = [submitted_claim(zone) for _ in range(2)]
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError):
        services.claims_bulk_decide(
            claim_ids=[c.pk for c in claims], actor=official, to=ClaimStatus.REJECTED
        )
    assert AuditEvent.objects.count() == events
    assert set(QualificationClaim.objects.values_list("status", flat=True)) == {
        ClaimStatus.SUBMITTED
    }
    with pytest.raises(ApplicationError):
        services.claims_bulk_decide(
            claim_ids=[c.pk for c in claims],
            actor=official,
            to=ClaimStatus.REJECTED,
            reason_code="no-such-reason",
        )
    assert set(QualificationClaim.objects.values_list("status", flat=True)) == {
        ClaimStatus.SUBMITTED
    }


def test_bulk_decisions_never_reach_another_zone():
    zone = ZoneFactory()
    foreign = submitted_claim(ZoneFactory())
    result = services.claims_bulk_decide(
        claim_ids=[foreign.pk], actor=ZoneOfficialFactory(zone=zone), to=ClaimStatus.VERIFIED
    )
    assert result.done == [] and len(result.refused) == 1
    foreign.refresh_from_db()
    assert foreign.status == ClaimStatus.SUBMITTED


def test_daily_digest_goes_to_officials_who_keep_it_on():
    zone = ZoneFactory()
    keen, quiet = ZoneOfficialFactory(zone=zone), ZoneOfficialFactory(zone=zone)
    ZoneOfficialFactory(zone=ZoneFactory())  # nothing new in that zone
    services.user_set_digest(user=quiet, enabled=False)
    submitted_claim(zone)
    assert send_official_digests.delay().get() == 1
    digest = Notification.objects.get(kind="digest")
    assert digest.recipient == keen
    assert "1" in digest.title


def test_dashboard_figures_equal_independent_counts():
    zone = ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    today = timezone.localdate()
    old = EnterpriseFactory(zone=zone, founded_on=today - timedelta(days=365 * 10))
    young = EnterpriseFactory(zone=zone, founded_on=today - timedelta(days=200))
    EnterpriseFactory(zone=ZoneFactory())
    FinancialYearFactory(  # counted in the zone's stages, as financial_year_save does
        enterprise=old,
        year=today.year - 1,
        revenue=Decimal("200000000"),
        total_costs=Decimal("1"),
        total_assets=Decimal("1"),
        rd_expense=Decimal("1"),
        net_profit=Decimal("0"),
        employees=400,
        rd_staff=40,
    )
    claim = submitted_claim(zone, ProgramFactory(code="hte"))
    es.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)
    waiting = submitted_claim(zone)
    figures = zone_dashboard(zone=zone)
    in_zone = Enterprise.objects.filter(zone=zone)
    assert figures["enterprises"] == in_zone.count() == 4
    assert figures["stages"] == {"maturity": 1, "startup": 3}
    assert young.pk and sum(figures["stages"].values()) == in_zone.count()
    assert figures["programs"][0]["program__code"] == "hte"
    assert figures["programs"][0]["enterprises"] == 1
    assert (
        figures["waiting"]
        == QualificationClaim.objects.filter(
            enterprise__zone=zone, status=ClaimStatus.SUBMITTED
        ).count()
        == 1
    )
    assert figures["decided_last_7_days"] == 1
    assert dict(figures["funnel"])["verified"] == 1
    assert sum(figures["ageing"].values()) == 1 and waiting.pk
