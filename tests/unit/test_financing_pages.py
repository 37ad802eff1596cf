"""Financing pages: a permission matrix over every page, masking of enterprises without
consent, applying, campaigns with their invitations, and the product editor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone

from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises import services as enterprise_services
from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
    Enterprise,
    FinancialYear,
    QualificationClaim,
)
from ecosystem.financing import services, services_leads
from ecosystem.financing.evaluator import evaluate
from ecosystem.financing.facts import facts_for
from ecosystem.financing.matcher import rematch
from ecosystem.financing.models import (
    Branch,
    Campaign,
    CampaignInvitation,
    Lead,
    Match,
    Product,
    ProductVersion,
)
from tests.factories import (
    BankFactory,
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db

TERMS = {
    "amount_min": Decimal("500000.00"),
    "amount_max": Decimal("10000000.00"),
    "term_min_months": 6,
    "term_max_months": 36,
    "rate_min": Decimal("3.2000"),
    "rate_max": Decimal("4.2000"),
    "sla_hours": 72,
    "programs_any": ["hte", "tsme"],
    "min_rd_intensity": Decimal("0.0500"),
    "limit_basis": "rd_multiple",
    "limit_factor": Decimal("2.0000"),
    "uplift_per_qualification": Decimal("500000.00"),
}


def product_post(**changes) -> dict:
    data = {
        "name_zh": "科技人才贷",
        "name_en": "Technology talent loan",
        "kind": "unsecured",
        "is_active": "on",
        **{k: v for k, v in TERMS.items() if not isinstance(v, list)},
        "programs_any": TERMS["programs_any"],
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}


def verified_year(enterprise, *, revenue, rd, employees=80, status="verified", year=2025):
    return FinancialYear.objects.create(
        enterprise=enterprise,
        year=year,
        revenue=Decimal(revenue),
        total_costs=Decimal(revenue),
        total_assets=Decimal("1"),
        rd_expense=Decimal(rd),
        net_profit=Decimal("0"),
        employees=employees,
        rd_staff=10,
        ip_invention_patents=1,
        verification_status=status,
    )


def verified_claim(enterprise, program, status="verified"):
    return QualificationClaim.objects.create(
        enterprise=enterprise, program=program, certificate_number="GR1", year=2025, status=status
    )


@dataclass
class World:
    bank: object
    other_bank: object
    branch: Branch
    head_office: Branch
    product: Product
    version: ProductVersion
    matched: Enterprise  # in the branch's zone
    matched_elsewhere: Enterprise  # in a zone no branch serves: head office
    near: Enterprise  # its only figures await verification
    users: dict

    def match_of(self, enterprise) -> Match:
        return Match.objects.get(enterprise=enterprise, product=self.product)


def build_world() -> World:
    zone, far_zone = ZoneFactory(code="zgc"), ZoneFactory(code="far")
    hte, tsme = ProgramFactory(code="hte"), ProgramFactory(code="tsme")
    bank, other_bank = BankFactory(), BankFactory()
    head_office = BranchFactory(bank=bank, code="head", is_head_office=True)
    branch = BranchFactory(bank=bank, code="zgc", zones=[zone])
    manager = BankManagerFactory(bank=bank)
    other_manager = BankManagerFactory(bank=other_bank)
    version = services.product_save(
        bank=bank, actor=manager, code="talent", name_zh="科技人才贷", kind="unsecured", **TERMS
    )
    services.product_save(
        bank=other_bank,
        actor=other_manager,
        code="other",
        name_zh="他行贷",
        kind="unsecured",
        **TERMS,
    )

    def enterprise(name, zone, uscc_suffix=""):
        e = EnterpriseFactory(
            name=name,
            zone=zone,
            founded_on=date(2016, 5, 1),
            contact_name="王经理",
            contact_phone="13800138000",
            contact_email=f"cfo{uscc_suffix}@example.com",
        )
        return e

    matched = enterprise("星河微电子科技有限公司", zone, "1")
    verified_year(matched, revenue="12345678.00", rd="1234567.00")
    verified_claim(matched, hte)
    elsewhere = enterprise("远山新材料有限公司", far_zone, "2")
    verified_year(elsewhere, revenue="30000000.00", rd="3000000.00")
    verified_claim(elsewhere, tsme)
    near = enterprise("未核实科技有限公司", zone, "3")
    verified_year(near, revenue="10000000.00", rd="900000.00", status="unverified")
    verified_claim(near, hte)
    rematch()
    users = {
        "anonymous": None,
        "member": EnterpriseMemberFactory(enterprise=matched),
        "member_elsewhere": EnterpriseMemberFactory(enterprise=elsewhere),
        "member_near": EnterpriseMemberFactory(enterprise=near),
        "other_member": EnterpriseMemberFactory(enterprise=EnterpriseFactory(zone=zone)),
        "zone_official": ZoneOfficialFactory(zone=zone),
        "rm": BankStaffFactory(branch=branch),
        "manager": manager,
        "other_manager": other_manager,
        "other_rm": BankStaffFactory(
            branch=BranchFactory(bank=other_bank, code="other-head", is_head_office=True)
        ),
    }
    return World(
        bank=bank,
        other_bank=other_bank,
        branch=branch,
        head_office=head_office,
        product=version.product,
        version=version,
        matched=matched,
        matched_elsewhere=elsewhere,
        near=near,
        users=users,
    )


@pytest.fixture
def world() -> World:
    return build_world()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def state() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "leads": list(Lead.objects.values_list("pk", "status")),
        "consents": list(Consent.objects.values_list("pk", "revoked_at")),
        "versions": list(ProductVersion.objects.values_list("pk", "number")),
        "products": list(Product.objects.values_list("pk", "name_zh", "is_active")),
        "campaigns": list(Campaign.objects.values_list("pk", "status", "invited_count")),
        "invitations": list(CampaignInvitation.objects.values_list("pk", "status")),
        "audit": AuditEvent.objects.count(),
    }


def sent_campaign(w: World) -> Campaign:
    campaign = services_leads.campaign_create(product=w.product, actor=w.users["manager"])
    return services_leads.campaign_send(campaign=campaign, actor=w.users["manager"])


# ---- permission matrix ---------------------------------------------------------------


def apply_url(w: World, enterprise) -> str:
    match = w.match_of(enterprise)
    return f"/financing/enterprises/{enterprise.pk}/matches/{match.pk}/apply/"


PAGES = {
    # name: (method, url builder)
    "matches": ("get", lambda w: f"/financing/enterprises/{w.matched.pk}/matches/"),
    "invitations": ("get", lambda w: f"/financing/enterprises/{w.matched.pk}/invitations/"),
    "apply": ("post", lambda w: apply_url(w, w.matched)),
    "products": ("get", lambda w: "/financing/bank/products/"),
    "product_new": ("get", lambda w: "/financing/bank/products/new/"),
    "product_edit": ("get", lambda w: f"/financing/bank/products/{w.product.pk}/"),
    "product_save": ("post", lambda w: f"/financing/bank/products/{w.product.pk}/"),
    "bank_matches": ("get", lambda w: "/financing/bank/matches/"),
    "export": ("get", lambda w: "/financing/bank/matches/export/csv/"),
    "campaigns": ("get", lambda w: "/financing/bank/campaigns/"),
    "campaign_new": ("post", lambda w: "/financing/bank/campaigns/new/"),
}
BANK_READ = {"products", "product_edit", "bank_matches", "export"}
MANAGER_ONLY = {"product_new", "campaigns", "campaign_new"}
OWN_BANK_OBJECT = {"product_edit", "product_save"}

# Expected status per (page, caller); anything not listed is a 404.
EXPECTED = {}
for page in PAGES:
    EXPECTED[(page, "anonymous")] = 302  # to the sign-in page
for page in ("matches", "invitations"):
    EXPECTED[(page, "member")] = 200
EXPECTED[("apply", "member")] = 302
for page in BANK_READ:
    for caller in ("rm", "manager", "other_manager", "other_rm"):
        if page in OWN_BANK_OBJECT and caller.startswith("other"):
            continue
        EXPECTED[(page, caller)] = 200
for page in MANAGER_ONLY:
    for caller in ("manager", "other_manager"):
        EXPECTED[(page, caller)] = 302 if page == "campaign_new" else 200
EXPECTED[("product_save", "manager")] = 302
EXPECTED[("product_save", "rm")] = 200  # the read-only page again, nothing saved

CALLERS = [
    "anonymous",
    "member",
    "other_member",
    "member_elsewhere",
    "zone_official",
    "rm",
    "manager",
    "other_manager",
    "other_rm",
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(world, page, caller):
    method, url = PAGES[page]
    payload = {}
    if page == "product_save":
        payload = product_post(rate_max="4.5000")
    if page == "campaign_new":
        payload = {"product": world.product.pk}
    before = state()
    response = getattr(client_for(world.users[caller]), method)(url(world), payload)
    expected = EXPECTED.get((page, caller), 404)
    assert response.status_code == expected, (page, caller)
    if expected == 302 and caller == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    if method == "post" and expected != 302 or caller == "anonymous":
        assert state() == before
    if page == "campaign_new" and caller != "manager":
        assert state() == before  # a product of another bank starts nothing


def test_other_bank_sees_none_of_this_banks_products_or_matches(world):
    client = client_for(world.users["other_manager"])
    assert "科技人才贷" not in client.get("/financing/bank/products/").content.decode()
    body = client.get("/financing/bank/matches/").content.decode()
    assert body.count('data-testid="bank-match"') == 2  # its own product's matches
    assert "科技人才贷" not in body
    for match in Match.objects.filter(product=world.product):
        assert f'data-match="{match.pk}"' not in body


# ---- masking -------------------------------------------------------------------------

SECRETS = ("星河微电子科技有限公司", "13800138000", "cfo1@example.com", "王经理", "12,345,678")


def secrets_of(w: World) -> tuple:
    return (*SECRETS, w.matched.uscc)


@pytest.mark.parametrize("caller", ["rm", "manager"])
def test_bank_without_consent_sees_no_name_code_contact_or_figures(world, caller):
    client = client_for(world.users[caller])
    body = client.get("/financing/bank/matches/").content.decode()
    assert body.count('data-testid="bank-match"') == 2
    assert body.count('data-masked="yes"') == 2
    assert "2,960,000.00" in body  # the indicative limit is shown
    for secret in secrets_of(world):
        assert secret not in body
    csv = b"".join(client.get("/financing/bank/matches/export/csv/").streaming_content)
    xlsx = client.get("/financing/bank/matches/export/xlsx/")
    from openpyxl import load_workbook

    cells = [
        str(c.value)
        for row in load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows()
        for c in row
    ]
    for secret in secrets_of(world):
        assert secret not in csv.decode("utf-8-sig")
        assert not any(secret in cell for cell in cells)
    assert not AccessLogEntry.objects.exists()


def test_with_consent_the_bank_sees_the_enterprise_and_the_view_is_logged(world):
    enterprise_services.consent_grant(
        enterprise=world.matched,
        actor=world.users["member"],
        bank=world.bank,
        purpose=Consent.Purpose.FINANCING,
    )
    client = client_for(world.users["rm"])
    body = client.get("/financing/bank/matches/").content.decode()
    assert body.count('data-masked="no"') == 1
    for secret in secrets_of(world):
        assert secret in body
    assert world.matched_elsewhere.name not in body  # no consent from that one
    entry = AccessLogEntry.objects.get()
    assert (entry.enterprise, entry.viewer, entry.bank) == (
        world.matched,
        world.users["rm"],
        world.bank,
    )
    csv = b"".join(client.get("/financing/bank/matches/export/csv/").streaming_content)
    assert world.matched.uscc in csv.decode("utf-8-sig")
    assert world.matched_elsewhere.uscc not in csv.decode("utf-8-sig")
    # Consent to another bank lifts nothing for this one.
    other = client_for(world.users["other_rm"]).get("/financing/bank/matches/").content.decode()
    assert world.matched.name not in other


def test_revoking_consent_masks_the_enterprise_again_at_once(world):
    consent = enterprise_services.consent_grant(
        enterprise=world.matched,
        actor=world.users["member"],
        bank=world.bank,
        purpose=Consent.Purpose.FINANCING,
    )
    client = client_for(world.users["rm"])
    assert world.matched.name in client.get("/financing/bank/matches/").content.decode()
    enterprise_services.consent_revoke(consent=consent, actor=world.users["member"])
    assert world.matched.name not in client.get("/financing/bank/matches/").content.decode()


# ---- the enterprise's matches page and applying ----------------------------------------


def test_matches_page_explains_each_criterion_the_limit_and_near_misses(world):
    body = (
        client_for(world.users["member"])
        .get(f"/financing/enterprises/{world.matched.pk}/matches/")
        .content.decode()
    )
    assert 'data-testid="match" data-product="talent"' in body
    assert 'data-key="rd_intensity" data-passed="yes"' in body
    assert "10.00%" in body  # 1,234,567 / 12,345,678 ≈ 10.00 %
    # 1,234,567 × 2 + 1 × 500,000 = 2,969,134 → 2,960,000
    assert "2,960,000" in body
    assert 'data-testid="apply-talent"' in body
    near = (
        client_for(world.users["member_near"])
        .get(f"/financing/enterprises/{world.near.pk}/matches/")
        .content.decode()
    )
    assert 'data-testid="near-miss" data-product="talent"' in near
    assert 'data-testid="would-match-badge"' in near
    assert 'data-testid="apply-talent"' not in near


def test_apply_creates_exactly_one_lead_and_a_consent_routed_to_the_zone_branch(world):
    member = world.users["member"]
    client = client_for(member)
    url = apply_url(world, world.matched)
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice: still one lead
    lead = Lead.objects.get()
    assert (lead.enterprise, lead.product, lead.product_version, lead.bank) == (
        world.matched,
        world.product,
        world.version,
        world.bank,
    )
    assert (lead.status, lead.source, lead.branch) == ("new", "apply", world.branch)
    assert lead.indicative_limit == world.match_of(world.matched).indicative_limit
    consent = Consent.objects.get()
    assert (consent.enterprise, consent.bank, consent.purpose) == (
        world.matched,
        world.bank,
        "financing",
    )
    assert consent.revoked_at is None
    assert AuditEvent.objects.filter(verb="lead.created").count() == 1
    body = client.get(f"/financing/enterprises/{world.matched.pk}/matches/").content.decode()
    assert 'data-testid="lead-status"' in body


def test_a_zone_no_branch_serves_routes_to_the_head_office(world):
    lead = services_leads.match_apply(
        enterprise=world.matched_elsewhere,
        actor=world.users["member_elsewhere"],
        match=world.match_of(world.matched_elsewhere),
    )
    assert lead.branch == world.head_office


def test_another_enterprises_match_cannot_be_applied_for(world):
    before = state()
    url = (
        f"/financing/enterprises/{world.matched.pk}/matches/"
        f"{world.match_of(world.matched_elsewhere).pk}/apply/"
    )
    assert client_for(world.users["member"]).post(url).status_code == 404
    assert state() == before


# ---- campaigns and invitations -----------------------------------------------------------


def test_campaign_preview_is_masked_and_its_exposure_is_the_sum_of_the_limits(world):
    client = client_for(world.users["manager"])
    response = client.post("/financing/bank/campaigns/new/", {"product": world.product.pk})
    campaign = Campaign.objects.get()
    assert response["Location"] == f"/financing/bank/campaigns/{campaign.pk}/"
    body = client.get(response["Location"]).content.decode()
    on = timezone.localdate()
    limits = [evaluate(facts_for(e, on=on), world.version, on=on) for e in Enterprise.objects.all()]
    expected = sum(r.limit for r in limits if r.eligible)
    assert expected == Decimal("2960000.00") + Decimal("6500000.00")
    assert f"{expected:,.2f}" in body
    assert 'data-testid="preview-count">2<' in body
    for secret in (*secrets_of(world), world.matched_elsewhere.name, world.matched_elsewhere.uscc):
        assert secret not in body
    assert Campaign.objects.get().status == "draft"
    assert not CampaignInvitation.objects.exists()


def test_sending_invites_each_matched_enterprise_and_notifies_its_members(world):
    campaign = sent_campaign(world)
    invitations = CampaignInvitation.objects.order_by("enterprise_id")
    assert [(i.enterprise, i.indicative_limit, i.status) for i in invitations] == [
        (world.matched, Decimal("2960000.00"), "sent"),
        (world.matched_elsewhere, Decimal("6500000.00"), "sent"),
    ]
    assert (campaign.status, campaign.invited_count, campaign.total_exposure) == (
        "sent",
        2,
        Decimal("9460000.00"),
    )
    notified = Notification.objects.filter(kind="campaign_invitation")
    assert {n.recipient for n in notified} == {
        world.users["member"],
        world.users["member_elsewhere"],
    }
    assert all(n.url.endswith("/invitations/") for n in notified)
    # Sending twice is refused and changes nothing; a new campaign skips those invited.
    before = state()
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/campaigns/{campaign.pk}/send/"
    )
    assert response.status_code == 302
    assert state() == before
    again = services_leads.campaign_create(product=world.product, actor=world.users["manager"])
    preview = services_leads.campaign_preview(
        product_version=again.product_version, actor=world.users["manager"]
    )
    assert (preview.count, preview.total_exposure) == (0, Decimal("0.00"))


def test_another_banks_manager_cannot_send_and_nothing_changes(world):
    campaign = services_leads.campaign_create(product=world.product, actor=world.users["manager"])
    before = state()
    for caller in ("other_manager", "rm", "member"):
        response = client_for(world.users[caller]).post(
            f"/financing/bank/campaigns/{campaign.pk}/send/"
        )
        assert response.status_code == 404
        assert (
            client_for(world.users[caller])
            .get(f"/financing/bank/campaigns/{campaign.pk}/")
            .status_code
            == 404
        )
    assert state() == before


def test_accepting_an_invitation_creates_a_lead_with_consent(world):
    campaign = sent_campaign(world)
    invitation = CampaignInvitation.objects.get(enterprise=world.matched_elsewhere)
    client = client_for(world.users["member_elsewhere"])
    body = client.get(f"/financing/enterprises/{world.matched_elsewhere.pk}/invitations/")
    assert "6,500,000" in body.content.decode()
    url = f"/financing/enterprises/{world.matched_elsewhere.pk}/invitations/{invitation.pk}/"
    # Another enterprise's member cannot answer it.
    before = state()
    assert client_for(world.users["member"]).post(url + "accept/").status_code == 404
    assert state() == before
    assert client.post(url + "accept/").status_code == 302
    lead = Lead.objects.get()
    assert (lead.enterprise, lead.source, lead.invitation, lead.branch) == (
        world.matched_elsewhere,
        "campaign",
        invitation,
        world.head_office,
    )
    assert lead.indicative_limit == Decimal("6500000.00")
    assert Consent.objects.get(enterprise=world.matched_elsewhere, bank=world.bank).is_active
    invitation.refresh_from_db()
    campaign.refresh_from_db()
    assert (invitation.status, invitation.responded_by) == (
        "accepted",
        world.users["member_elsewhere"],
    )
    assert campaign.accepted_count == 1
    # Answering twice is refused and changes nothing.
    before = state()
    client.post(url + "decline/")
    assert state() == before


def test_declining_shares_nothing(world):
    campaign = sent_campaign(world)
    invitation = CampaignInvitation.objects.get(enterprise=world.matched)
    client_for(world.users["member"]).post(
        f"/financing/enterprises/{world.matched.pk}/invitations/{invitation.pk}/decline/"
    )
    invitation.refresh_from_db()
    campaign.refresh_from_db()
    assert (invitation.status, campaign.declined_count) == ("declined", 1)
    assert not Lead.objects.exists() and not Consent.objects.exists()


def test_an_expired_invitation_cannot_be_accepted(world):
    sent_campaign(world)
    invitation = CampaignInvitation.objects.get(enterprise=world.matched)
    CampaignInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    before = state()
    client_for(world.users["member"]).post(
        f"/financing/enterprises/{world.matched.pk}/invitations/{invitation.pk}/accept/"
    )
    assert state() == before


# ---- the product editor ------------------------------------------------------------------

REFUSALS = [
    ("min-above-max", {"amount_min": "20000000"}, "amount_min"),
    ("rate-zero", {"rate_min": "0"}, "rate_min"),
    ("rate-min-above-max", {"rate_min": "5.0000"}, "rate_min"),
    ("rate-insane", {"rate_max": "40"}, "rate_min"),
    ("terms-reversed", {"term_min_months": "48"}, "term_min_months"),
    ("formula-without-factor", {"limit_factor": ""}, "limit_factor"),
    ("formula-without-basis", {"limit_basis": ""}, "limit_basis"),
    ("revenue-range-reversed", {"min_revenue": "9", "max_revenue": "1"}, "min_revenue"),
    ("intensity-over-one", {"min_rd_intensity": "5"}, "min_rd_intensity"),
]


@pytest.mark.parametrize(
    ("change", "field"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_editor_refuses_bad_terms_keeps_the_input_and_changes_nothing(world, change, field):
    before = state()
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/products/{world.product.pk}/",
        product_post(name_zh="改了名字的贷款", **change),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="error-{field}"' in body
    assert 'value="改了名字的贷款"' in body  # the input is kept
    assert state() == before


def test_creating_a_product_with_refused_terms_creates_nothing(world):
    before = state()
    response = client_for(world.users["manager"]).post(
        "/financing/bank/products/new/",
        {**product_post(amount_min="20000000"), "bank": world.bank.pk, "code": "new-loan"},
    )
    assert 'data-testid="error-amount_min"' in response.content.decode()
    assert state() == before


def test_creating_a_product(world):
    response = client_for(world.users["manager"]).post(
        "/financing/bank/products/new/",
        {**product_post(), "bank": world.bank.pk, "code": "new-loan"},
    )
    assert response.status_code == 302
    product = Product.objects.get(code="new-loan")
    assert (product.bank, product.current_version.number) == (world.bank, 1)
    assert product.current_version.programs_any == ["hte", "tsme"]


def test_a_manager_cannot_create_for_another_bank(world):
    before = state()
    response = client_for(world.users["manager"]).post(
        "/financing/bank/products/new/",
        {**product_post(), "bank": world.other_bank.pk, "code": "sneaky"},
    )
    assert 'data-testid="error-bank"' in response.content.decode()
    assert state() == before


def test_saving_unchanged_terms_makes_no_new_version(world):
    before = state()
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/products/{world.product.pk}/",
        product_post(programs_any=["tsme", "hte"]),
    )
    assert response.status_code == 302
    assert state()["versions"] == before["versions"]


def test_editing_an_active_product_makes_a_new_version_and_old_leads_keep_theirs(
    world, django_capture_on_commit_callbacks
):
    lead = services_leads.match_apply(
        enterprise=world.matched, actor=world.users["member"], match=world.match_of(world.matched)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["manager"]).post(
            f"/financing/bank/products/{world.product.pk}/",
            product_post(limit_factor="3.0000"),
        )
    assert response.status_code == 302
    new = world.product.current_version
    assert new.number == 2 and new.limit_factor == Decimal("3.0000")
    lead.refresh_from_db()
    assert (lead.product_version, lead.indicative_limit) == (world.version, Decimal("2960000.00"))
    # The product was rematched after commit: matches now carry the new version.
    assert set(
        Match.objects.filter(product=world.product).values_list("product_version", flat=True)
    ) == {new.pk}
    # 1,234,567 × 3 + 500,000 = 4,203,701 → 4,200,000
    assert world.match_of(world.matched).indicative_limit == Decimal("4200000.00")


def test_staff_see_the_terms_read_only(world):
    body = (
        client_for(world.users["rm"])
        .get(f"/financing/bank/products/{world.product.pk}/")
        .content.decode()
    )
    assert 'data-testid="save"' not in body
    assert "disabled" in body
