"""Verify once, in a real browser: an enterprise submits a claim, the zone official finds
it in the queue, opens it beside its evidence and approves it; the enterprise then sees
the verified badge on its claim and the notification."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from ecosystem.core.models import AuditEvent
from ecosystem.enterprises import services
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)
from tests.worlds.browser import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%%EOF\n"


def test_official_approves_in_the_browser_and_the_enterprise_sees_it(
    page: Page, live_server, browser, browser_context_args
):
    zone = ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    enterprise = EnterpriseFactory(zone=zone, name="星河微电子科技有限公司")
    member = EnterpriseMemberFactory(enterprise=enterprise)
    program = ProgramFactory(name_zh="高新技术企业（浏览器测试）", name_en="High-tech (browser)")
    claim = services.claim_create(
        enterprise=enterprise,
        actor=member,
        program=program,
        certificate_number="GR202511009999",
        year=2025,
    )
    services.evidence_add(
        claim=claim, actor=member, upload=SimpleUploadedFile("certificate.pdf", PDF)
    )
    claim = services.claim_submit(claim=claim, actor=member)
    events = AuditEvent.objects.count()

    # The official finds the claim in the queue from the navigation bar.
    sign_in_as(page.context, live_server, official)
    page.goto(live_server.url + "/")
    page.get_by_test_id("nav-zone-queue").click()
    expect(page).to_have_url(live_server.url + "/zones/queue/")
    row = page.locator(f'[data-testid="queue-row"][data-kind="claim"][data-pk="{claim.pk}"]')
    expect(row).to_contain_text(enterprise.uscc)

    # Searching narrows the queue (htmx swaps the results in place).
    page.locator("#id_q").fill(enterprise.uscc)
    page.locator("#id_q").press("Enter")  # typing also searches after a pause; Enter at once
    expect(page).to_have_url(re.compile(r"/zones/queue/\?.*q=" + enterprise.uscc), timeout=15_000)
    expect(page.get_by_test_id("queue-row")).to_have_count(1)

    # The review page shows the claim with its evidence inline, and the decisions.
    evidence_path = (
        f"/enterprises/{enterprise.pk}/claims/{claim.pk}/evidence/{claim.evidence.get().pk}/"
    )
    with page.expect_response(lambda r: r.url.endswith(evidence_path)) as framed:
        page.get_by_test_id(f"open-claim-{claim.pk}").click()
    # The PDF loads inside the page: the evidence view lets the same origin frame it.
    assert framed.value.status == 200
    assert framed.value.headers["x-frame-options"] == "SAMEORIGIN"
    expect(page).to_have_url(live_server.url + f"/zones/claims/{claim.pk}/")
    expect(page.get_by_test_id("certificate-number")).to_have_text("GR202511009999")
    expect(page.get_by_test_id("evidence-item")).to_have_count(1)
    expect(page.get_by_test_id("evidence-pdf")).to_have_attribute("src", evidence_path)
    page.get_by_test_id("decide-approve").click()

    # Back at the queue, with the claim gone from it.
    expect(page).to_have_url(live_server.url + "/zones/queue/")
    expect(page.get_by_role("alert").first).to_contain_text(enterprise.name)
    expect(page.locator(f'[data-testid="queue-row"][data-pk="{claim.pk}"]')).to_have_count(0)
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.VERIFIED, official)
    assert AuditEvent.objects.count() == events + 1

    # The enterprise, in a browser of its own, sees the badge and the notification.
    context = browser.new_context(**browser_context_args)
    try:
        sign_in_as(context, live_server, member)
        member_page = context.new_page()
        member_page.goto(live_server.url + claim.get_absolute_url())
        expect(member_page.get_by_test_id("claim-status")).to_have_attribute(
            "data-status", "verified"
        )
        member_page.goto(live_server.url + "/notifications/")
        names = re.compile(f"{re.escape(program.name_zh)}|{re.escape(program.name_en)}")
        expect(member_page.locator("main .list-group-item").first).to_contain_text(names)
    finally:
        context.close()
    assert QualificationClaim.objects.get(pk=claim.pk).status == ClaimStatus.VERIFIED


def test_dashboard_draws_its_charts_without_script_errors(page: Page, live_server):
    zone = ZoneFactory()
    official = ZoneOfficialFactory(zone=zone)
    for _ in range(3):
        EnterpriseFactory(zone=zone)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_as(page.context, live_server, official)
    page.goto(live_server.url + "/zones/dashboard/")
    expect(page.get_by_test_id("figure-enterprises")).to_have_text("3")
    charts = page.locator(".zone-chart[data-chart]")
    expect(charts).to_have_count(5)
    for chart in charts.all():
        expect(chart).to_have_attribute("data-rendered", "true")
        expect(chart.locator("canvas")).to_have_count(1)
    assert errors == []
