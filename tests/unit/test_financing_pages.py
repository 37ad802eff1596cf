"""Financing pages: a permission matrix over every page, masking of enterprises without
consent, applying, campaigns with their invitations, and the product editor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client

from ecosystem.core.models import AuditEvent
from ecosystem.enterprises import services as enterprise_services
from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
    Enterprise,
    FinancialYear,
    QualificationClaim,
)
from ecosystem.financing import services
from ecosystem.financing.eligibility.matcher import rematch
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
    campaign = services.campaign_create(product=w.product, actor=w.users["manager"])
    return services.campaign_send(campaign=campaign, actor=w.users["manager"])


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
