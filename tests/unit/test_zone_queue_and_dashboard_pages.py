"""Zone pages: the review queue with bulk decisions, financial-year review, settings and
navigation, the dashboard and exports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
from ecosystem.enterprises.review import queue as reads
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.zone import (
    World,
    add_year,
    build_world,
    client_of,
    csv_text,
    ensure_rejection_reasons,
    state,
    submit_claim,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rejection_reasons(db):
    ensure_rejection_reasons()


@pytest.fixture
def world() -> World:
    return build_world()


# --- the queue ---------------------------------------------------------------------------


def test_queue_lists_claims_and_years_with_ageing_and_overdue_highlighted(world):
    old = timezone.now() - timedelta(days=30)
    QualificationClaim.objects.filter(pk=world.claim.pk).update(submitted_at=old)
    response = world.client_for("official").get(reverse("zone_queue"))
    html = response.content.decode()
    rows = response.context["rows"]
    assert [(r["kind"], r["pk"]) for r in rows] == [
        ("claim", world.claim.pk),
        ("financial_year", world.year.pk),
    ]
    assert rows[0]["overdue"] and not rows[1]["overdue"]
    assert f'data-pk="{world.claim.pk}" data-overdue="true"' in html
    assert timezone.localtime(old).strftime("%Y-%m-%d %H:%M") in html
    assert world.claim.enterprise.uscc in html


def test_queue_filters_and_search_by_query_string(world):
    program = ProgramFactory(code="hte-filter")
    wanted, _member = submit_claim(world.zone, program=program)
    client = world.client_for("official")

    def pks(**params):
        response = client.get(reverse("zone_queue"), params)
        return [(r["kind"], r["pk"]) for r in response.context["rows"]]

    assert pks(program=program.pk) == [("claim", wanted.pk)]
    assert pks(kind="financial_year") == [("financial_year", world.year.pk)]
    assert pks(kind="claim", q=wanted.enterprise.uscc) == [("claim", wanted.pk)]
    assert pks(q=wanted.enterprise.name) == [("claim", wanted.pk)]
    assert pks(status="under_review") == []
    assert pks(min_age=50) == []
    assert len(pks(program="not-a-number", min_age="x")) == 3  # bad values are ignored


def test_queue_answers_htmx_with_the_results_only(world):
    client = world.client_for("official")
    full = client.get(reverse("zone_queue"))
    partial = client.get(reverse("zone_queue"), {"q": "x"}, headers={"HX-Request": "true"})
    assert b"<html" in full.content and b'id="bulk-form"' in full.content
    assert b"<html" not in partial.content and b'id="queue-results"' in partial.content
    assert "HX-Request" in partial["Vary"]


def test_bulk_approve_reports_done_and_refused(world):
    claims = [submit_claim(world.zone)[0] for _ in range(2)]
    es.claim_transition(
        claim=claims[1], to=ClaimStatus.REJECTED, actor=world.colleague, reason_code="other"
    )
    foreign, _member = submit_claim(ZoneFactory())
    ids = [world.claim.pk, claims[0].pk, claims[1].pk, foreign.pk]
    response = world.client_for("official").post(
        reverse("zone_queue_bulk"),
        {"claim": ids, "to": "verified", "next": reverse("zone_queue") + "?kind=claim"},
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse("zone_queue") + "?kind=claim"
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "2 claims approved."
    assert any("Already decided by" in m and str(world.colleague) in m for m in messages)
    assert any("Not found." in m for m in messages)
    statuses = {
        c.pk: c.status for c in QualificationClaim.objects.filter(pk__in=[*ids, foreign.pk])
    }
    assert statuses == {
        world.claim.pk: ClaimStatus.VERIFIED,
        claims[0].pk: ClaimStatus.VERIFIED,
        claims[1].pk: ClaimStatus.REJECTED,
        foreign.pk: ClaimStatus.SUBMITTED,
    }


def test_bulk_reject_needs_one_reason_code_and_a_refusal_changes_nothing(world):
    before = state(world)
    response = world.client_for("official").post(
        reverse("zone_queue_bulk"), {"claim": [world.claim.pk], "to": "rejected"}, follow=True
    )
    assert "Choose a reason code." in [str(m) for m in response.context["messages"]]
    assert state(world) == before
    world.client_for("official").post(
        reverse("zone_queue_bulk"),
        {"claim": [world.claim.pk], "to": "rejected", "reason_code": "not_on_list"},
    )
    claim = QualificationClaim.objects.get(pk=world.claim.pk)
    assert (claim.status, claim.reason_code) == (ClaimStatus.REJECTED, "not_on_list")


def test_bulk_with_nothing_ticked_is_refused(world):
    before = state(world)
    response = world.client_for("official").post(
        reverse("zone_queue_bulk"), {"to": "verified", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("zone_queue")
    assert state(world) == before


# --- financial years ---------------------------------------------------------------------


def test_year_page_shows_the_figures_and_verifies(world):
    client = world.client_for("official")
    url = reverse("zone_year_review", args=[world.year.pk])
    html = client.get(url).content.decode()
    assert "12,000,000.00" in html and "12.5 %" in html  # R&D intensity 1.5M / 12M
    assert client.post(url, {"status": "verified"}).status_code == 302
    year = FinancialYear.objects.get(pk=world.year.pk)
    assert (year.verification_status, year.verified_by) == ("verified", world.official)


def test_a_discrepancy_needs_a_note_and_a_refusal_changes_nothing(world):
    client = world.client_for("official")
    url = reverse("zone_year_review", args=[world.year.pk])
    before = state(world)
    response = client.post(url, {"status": "discrepancy", "note": "  "})
    assert response.status_code == 400
    assert state(world) == before
    client.post(url, {"status": "discrepancy", "note": "Revenue differs from the tax return"})
    year = FinancialYear.objects.get(pk=world.year.pk)
    assert (year.verification_status, year.verification_note) == (
        "discrepancy",
        "Revenue differs from the tax return",
    )


# --- settings and navigation ---------------------------------------------------------------


def test_the_digest_can_be_switched_off_and_on(world):
    client = world.client_for("official")
    assert world.official.digest_enabled
    client.post(reverse("zone_settings"), {})
    world.official.refresh_from_db()
    assert not world.official.digest_enabled
    client.post(reverse("zone_settings"), {"digest_enabled": "on"})
    world.official.refresh_from_db()
    assert world.official.digest_enabled


def test_officials_see_queue_and_dashboard_in_the_navigation(world):
    html = world.client_for("official").get(reverse("home")).content.decode()
    assert f'href="{reverse("zone_queue")}" data-testid="nav-zone-queue"' in html
    assert f'href="{reverse("zone_dashboard")}" data-testid="nav-zone-dashboard"' in html
    member_html = world.client_for("member").get(reverse("home")).content.decode()
    assert "nav-zone-queue" not in member_html


# --- dashboard -----------------------------------------------------------------------------


def test_dashboard_figures_equal_independent_counts():
    zone = ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    today = timezone.localdate()
    hte, tsme = ProgramFactory(code="dash-hte"), ProgramFactory(code="dash-tsme")
    # Two mature firms (old, large), one growth firm, two start-ups (one without data).
    plan = [
        (date(today.year - 12, 1, 1), {"revenue": Decimal("200000000"), "employees": 400}),
        (date(today.year - 10, 1, 1), {"revenue": Decimal("150000000"), "employees": 350}),
        (date(today.year - 5, 1, 1), {"revenue": Decimal("20000000"), "employees": 60}),
        (date(today.year - 1, 1, 1), {"revenue": Decimal("100000"), "employees": 5}),
        (None, None),
    ]
    enterprises = []
    for founded, figures in plan:
        enterprise = EnterpriseFactory(zone=zone, founded_on=founded)
        member = EnterpriseMemberFactory(enterprise=enterprise)
        if figures:
            add_year(
                enterprise,
                member,
                total_costs=figures["revenue"],
                rd_expense=Decimal("0"),
                rd_staff=0,
                **figures,
            )
        enterprises.append(enterprise)
    EnterpriseFactory(zone=ZoneFactory())  # another zone: never counted
    # Verified: enterprise 0 for both programs, enterprise 1 for hte. One rejected, one waiting.
    for enterprise, program, to in [
        (enterprises[0], hte, ClaimStatus.VERIFIED),
        (enterprises[0], tsme, ClaimStatus.VERIFIED),
        (enterprises[1], hte, ClaimStatus.VERIFIED),
        (enterprises[2], hte, ClaimStatus.REJECTED),
        (enterprises[3], hte, None),
    ]:
        claim, _member = submit_claim(enterprise=enterprise, program=program)
        if to:
            reason = "other" if to == ClaimStatus.REJECTED else ""
            es.claim_transition(claim=claim, to=to, actor=official, reason_code=reason)

    shown = client_of(official).get(reverse("zone_dashboard"))
    assert shown.status_code == 200
    figures = shown.context["figures"]
    assert figures["enterprises"] == 5
    assert figures["stages"] == {"maturity": 2, "growth": 1, "startup": 2}
    assert figures["decided_last_7_days"] == 4
    assert figures["waiting"] == 1
    assert figures["ageing"] == {"0-2": 1, "3-5": 0, "6-10": 0, ">10": 0}
    assert {p["program__code"]: p["enterprises"] for p in figures["programs"]} == {
        "dash-hte": 2,
        "dash-tsme": 1,
    }
    assert dict(figures["funnel"])["registered"] == 5
    assert dict(figures["funnel"])["verified"] == 2
    tables = shown.context["tables"]
    assert [row[1] for row in tables["stages"]["rows"]] == [2, 1, 2]  # start-up, growth, maturity
    funnel = dict((str(k), v) for k, v in tables["funnel"]["rows"])
    assert funnel["matched"] == 0  # no product matches anyone here
    chart = shown.context["chart_data"]
    assert [s["value"] for s in chart["funnel"]] == [5, 2, 0, 0, 0, 0]
    html = shown.content.decode()
    assert 'id="zone-dashboard-data"' in html and "js/zone_dashboard.js" in html
    assert "<script>" not in html  # data only through json_script, code in static files


def test_dashboard_zone_picker_stays_within_the_officials_zones(world):
    second = ZoneFactory()
    world.official.memberships.create(role="zone_official", zone=second)
    client = world.client_for("official")
    shown = client.get(reverse("zone_dashboard"), {"zone": second.pk})
    assert shown.context["zone"] == second
    assert b'data-testid="zone-picker"' in shown.content
    foreign = world.other_official.memberships.get().zone
    assert client.get(reverse("zone_dashboard"), {"zone": foreign.pk}).status_code == 404
    export = reverse("zone_dashboard_export", args=["stages", "csv"])
    assert client.get(export, {"zone": foreign.pk}).status_code == 404


@pytest.mark.parametrize(
    "table",
    [
        "stages",
        "industries",
        "programs",
        "review",
        "ageing",
        "funnel",
        "financing",
        "sla",
        "overdue",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_dashboard_table_exports(world, table, fmt):
    response = world.client_for("official").get(reverse("zone_dashboard_export", args=[table, fmt]))
    assert response.status_code == 200
    assert response.streaming
    assert "attachment" in response["Content-Disposition"]


# --- exports -------------------------------------------------------------------------------


def test_queue_export_of_10000_rows_streams_and_neutralises_formulas():
    zone = ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    program = ProgramFactory()
    evil = EnterpriseFactory(zone=zone, name='=HYPERLINK("http://evil.example","x")')
    plain = EnterpriseFactory(zone=zone)
    now = timezone.now()
    QualificationClaim.objects.bulk_create(
        [
            QualificationClaim(
                enterprise=evil if i == 0 else plain,
                program=program,
                certificate_number=f"C{i}",
                year=2025,
                status=ClaimStatus.SUBMITTED,
                submitted_at=now - timedelta(minutes=10_000 - i),
            )
            for i in range(10_000)
        ],
        batch_size=2000,
    )
    client = client_of(official)
    counted = mock.Mock(side_effect=reads.working_days_between)
    with mock.patch.object(reads, "working_days_between", counted):
        response = client.get(reverse("zone_queue_export", args=["csv"]))
        assert response.streaming
        chunks = iter(response.streaming_content)
        header, first = next(chunks), next(chunks)
        # One chunk read so far: the rest of the queue is still in the database.
        assert counted.call_count <= 1000
        rest = b"".join(chunks)
        assert counted.call_count == 10_000
    rows = list(csv.reader(io.StringIO((header + first + rest).decode("utf-8-sig"))))
    assert len(rows) == 10_001
    assert rows[1][2] == "'" + evil.name
    assert not any(row[2].startswith("=") for row in rows[1:])


def test_queue_export_as_xlsx_neutralises_formulas(world):
    from openpyxl import load_workbook

    Enterprise.objects.filter(pk=world.claim.enterprise_id).update(name="+SUM(1,2)")
    response = world.client_for("official").get(reverse("zone_queue_export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names[0] == "'+SUM(1,2)"


def test_queue_export_follows_the_filters(world):
    response = world.client_for("official").get(
        reverse("zone_queue_export", args=["csv"]), {"kind": "claim"}
    )
    rows = list(csv.reader(io.StringIO(csv_text(response))))
    assert [r[1] for r in rows[1:]] == [world.claim.enterprise.uscc]
    assert (
        world.client_for("official").get(reverse("zone_queue_export", args=["pdf"])).status_code
        == 404
    )
