"""The financing world: a bank with a head office and a branch serving a zone, its
product (``TERMS``) matched to enterprises, the other bank, and one user of every kind;
with a product form's data, the state a refused request must not change and the
helpers the pages and API tests share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.test import Client

from ecosystem.core.models import AuditEvent
from ecosystem.enterprises.models import (
    Consent,
    Enterprise,
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
    FinancialYearFactory,
    ProgramFactory,
    QualificationClaimFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

TERMS = {
    "amount_min": Decimal("500000.00"),
    "amount_max": Decimal("10000000.00"),
    "term_min_months": 6,
    "term_max_months": 36,
    "rate_min": Decimal("3.2000"),
    "rate_max": Decimal("4.2000"),
    "first_contact_target": 8,
    "first_contact_unit": "hours",
    "decision_target": 3,
    "decision_unit": "days",
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
        # The form takes shares as percentages (the service stores the fraction).
        "min_rd_intensity": f"{TERMS['min_rd_intensity'] * 100:.2f}",
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}


def verified_year(enterprise, *, revenue, rd, employees=80, status="verified", year=2025):
    return FinancialYearFactory(
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
    return QualificationClaimFactory(
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
    near: Enterprise  # its verified year misses; its newer year, awaiting verification, passes
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
    # A verified year decides (declared figures count only where none is verified): its
    # R&D intensity of 3 % misses; the newer year awaiting verification would pass.
    verified_year(near, revenue="10000000.00", rd="300000.00", year=2024)
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


def apply_url(w: World, enterprise) -> str:
    match = w.match_of(enterprise)
    return f"/financing/enterprises/{enterprise.pk}/matches/{match.pk}/apply/"


SECRETS = ("星河微电子科技有限公司", "13800138000", "cfo1@example.com", "王经理", "12,345,678")


def secrets_of(w: World) -> tuple:
    return (*SECRETS, w.matched.uscc)
