"""The bank exports' rows for their tests: consenting firms matched or with leads, every
other one with a verified year (the exports read it with the rows); and a varied world
(``varied_matches``, ``varied_leads``) with the cells an export row is expected to hold
worked out from the models one object at a time (``expected_match_cells``,
``expected_lead_cells``): the reference an export's fast row path is held to."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.core.exports import safe_cell
from ecosystem.enterprises.lifecycle import derive_stage
from ecosystem.enterprises.models import Consent, Enterprise, FinancialYear, IndustryDivision
from ecosystem.financing.models import Lead, Match
from tests.factories import (
    BankFactory,
    BankStaffFactory,
    BranchFactory,
    ConsentFactory,
    EnterpriseFactory,
    FinancialYearFactory,
    LeadFactory,
    ProductFactory,
    ProductVersionFactory,
    ZoneFactory,
)
from tests.worlds.crawl_flagged import bank_matches, rm_leads
from tests.worlds.leads import World


def verified_years(firms: list[Enterprise]) -> None:
    """Every other firm gets a verified year (the export reads it with the rows)."""
    FinancialYear.objects.bulk_create(
        FinancialYear(
            enterprise=e,
            year=2025,
            revenue=Decimal(50_000_000),
            total_costs=Decimal(40_000_000),
            total_assets=Decimal(60_000_000),
            rd_expense=Decimal(3_000_000),
            net_profit=Decimal(1_000_000),
            employees=120,
            rd_staff=30,
            verification_status="verified",
        )
        for e in firms[::2]
    )


def add_matches(world: World, count: int, *, start: int) -> None:
    """Consenting firms matched on the world's product (``crawl_flagged.bank_matches``)."""
    verified_years(bank_matches(world, count, start=start))


def add_leads(world: World, count: int, *, start: int) -> None:
    """Consenting firms' leads assigned to the RM (``crawl_flagged.rm_leads``)."""
    verified_years(rm_leads(world, count, start=start))


# ---- a varied world and the cells expected of it --------------------------------------


def _founded(years: float):
    """A founding date ``years`` ago, a month clear of the anniversary either way."""
    return timezone.localdate() - timedelta(days=round(365.25 * years))


def _year(firm, year: int, revenue: str, employees: int, *, verified: bool = True):
    cent = Decimal("0.01")
    return FinancialYearFactory(
        enterprise=firm,
        year=year,
        revenue=Decimal(revenue),
        total_costs=(Decimal(revenue) * 8 / 10).quantize(cent),
        total_assets=Decimal(revenue) * 2,
        rd_expense=(Decimal(revenue) / 20).quantize(cent),
        employees=employees,
        rd_staff=min(employees, 5),
        verification_status="verified" if verified else "declared",
    )


def varied_matches(world: World) -> dict[str, Enterprise]:
    """Firms matched on the world's bank's two products (one without an English name, one
    on its second version) covering every cell a match row can hold: each lifecycle stage
    (maturity; growth by age and size; growth by size while too young for maturity;
    start-up by size, by missing figures, by a missing founding date), the latest of two
    verified years, a later declared year left out, no verified year at all, consent
    given, revoked, given to another bank only, and never given; a zone without an
    English name, a firm without an industry, money with cents, text a spreadsheet would
    run as a formula. Returns the firms by their stage's story."""
    bank = world.bank
    divisions = list(IndustryDivision.objects.select_related("section").order_by("code"))
    first, other = (
        divisions[0],
        next(d for d in divisions if d.section_id != divisions[0].section_id),
    )
    plain_zone = ZoneFactory(name_en="")
    fast = ProductFactory(bank=bank, code="a-fast", name_zh="科技快贷", name_en="Tech fast loan")
    ProductVersionFactory(product=fast)
    fast_v2 = ProductVersionFactory(product=fast)
    plain = world.version  # "科技贷", no English name
    firms = {
        "maturity": EnterpriseFactory(
            name="成熟科技", founded_on=_founded(10.1), industry=first, contact_name="张三",
            contact_phone="+86 10 6275 1234", contact_email="zhang@example.cn",
        ),
        "growth": EnterpriseFactory(
            name="成长科技", founded_on=_founded(5.1), industry=other,
            contact_name='=HYPERLINK("http://x")',
        ),
        "young_large": EnterpriseFactory(name="年轻大企", founded_on=_founded(4.1)),
        "startup_revoked": EnterpriseFactory(name="初创撤回", founded_on=_founded(1.1)),
        "no_figures": EnterpriseFactory(
            name="无核数企", founded_on=_founded(10.1), zone=plain_zone
        ),
        "no_founding": EnterpriseFactory(name="无成立日", founded_on=None, industry=first),
        "other_bank": EnterpriseFactory(name="他行同意", founded_on=_founded(6.1)),
    }  # fmt: skip
    _year(firms["maturity"], 2024, "150000000.55", 400)
    _year(firms["growth"], 2023, "200000000.00", 350)  # older: not the latest verified
    _year(firms["growth"], 2024, "12345678.90", 60)
    _year(firms["growth"], 2025, "999000000.00", 900, verified=False)  # declared only
    _year(firms["young_large"], 2024, "200000000.00", 10)
    _year(firms["startup_revoked"], 2024, "100000.00", 5)
    _year(firms["no_figures"], 2024, "500000000.00", 800, verified=False)
    _year(firms["no_founding"], 2024, "300000000.00", 500)
    _year(firms["other_bank"], 2024, "20000000.00", 70)
    for key in ("maturity", "growth", "no_figures", "no_founding"):
        ConsentFactory(enterprise=firms[key], bank=bank)
    ConsentFactory(enterprise=firms["startup_revoked"], bank=bank, revoked=True)
    ConsentFactory(enterprise=firms["other_bank"])  # another bank's
    limits = iter(Decimal(v) for v in ("1234567.89", "500000.00", "750000.10", "99.99"))
    for i, firm in enumerate(firms.values()):
        for version in (plain, fast_v2) if i % 2 == 0 else (fast_v2,):
            Match.objects.create(
                enterprise=firm,
                product=version.product,
                product_version=version,
                score=60 + 7 * i,
                indicative_limit=next(limits, Decimal(100_000 * (i + 1))),
                computed_at=timezone.now(),
            )
    return firms


def expected_match_cells(bank, *, on) -> list[list]:
    """The cells of the bank's match export, in its order (product code, limit highest
    first, id), each worked out from the models in the active language: the consent
    looked up, the latest verified year read, the stage from ``derive_stage``."""
    matches = (
        Match.objects.filter(product__bank=bank)
        .select_related("product", "product_version", "enterprise__zone")
        .order_by("product__code", "-indicative_limit", "pk")
    )
    rows = []
    for match in matches:
        firm = match.enterprise
        year = firm.financial_years.filter(verification_status="verified").order_by("-year").first()
        stage = derive_stage(
            founded_on=firm.founded_on,
            on=on,
            revenue=year.revenue if year else None,
            employees=year.employees if year else None,
        ).stage
        consented = Consent.objects.filter(
            enterprise=firm, bank=bank, revoked_at__isnull=True
        ).exists()
        shown = [firm.name, firm.uscc, firm.contact_name, firm.contact_phone, firm.contact_email]
        figures = [year.year, year.revenue, year.rd_expense, year.employees] if year else [None] * 4
        values = [
            match.product.name,
            match.product_version.number,
            str(stage.label),
            firm.zone.name,
            str(firm.industry.section) if firm.industry else "",
            match.indicative_limit,
            match.score,
            gettext("yes") if consented else gettext("no (masked)"),
            *(shown + figures if consented else [""] * 9),
        ]
        rows.append([safe_cell(v) for v in values])
    return rows


def varied_leads(world: World) -> None:
    """Leads of the world's branch beside its new one: overdue and assigned, contacted
    late (not overdue), declined with a reason and a note, without a due time, offered on
    a product with an English name, a firm that revoked its consent; asked amounts with
    cents, every need field filled or blank; one handled by an RM without a full name."""
    now = timezone.now()
    nameless = BankStaffFactory(branch=world.branch, full_name="")
    fast = ProductVersionFactory(
        product=ProductFactory(bank=world.bank, code="a-lead", name_en="Tech fast loan")
    )
    revoked = EnterpriseFactory(name="撤回同意企业")
    ConsentFactory(enterprise=revoked, bank=world.bank, revoked=True)

    def lead(enterprise=None, version=None, **fields):
        enterprise = enterprise or EnterpriseFactory(zone=world.enterprise.zone)
        if enterprise is not revoked:
            ConsentFactory(enterprise=enterprise, bank=world.bank)
        return LeadFactory(
            enterprise=enterprise,
            product_version=version or world.version,
            branch=world.branch,
            **fields,
        )

    S = Lead.Status
    lead(
        status=S.ASSIGNED,
        assigned_to=world.rm,
        due_at=now - timedelta(days=2),
        need_amount=Decimal("2500000.50"),
        need_term_months=24,
        need_purpose="production_line",
        need_collateral="equipment",
    )
    lead(
        status=S.CONTACTED,
        assigned_to=nameless,
        due_at=now - timedelta(days=3),
        first_contact_at=now - timedelta(days=4),
        need_purpose="rd",
    )
    lead(
        status=S.DECLINED,
        assigned_to=world.rm,
        due_at=now - timedelta(days=5),
        decline_reason="credit_history",
        decline_note="=SUM(A1) 逾期记录",
    )
    lead(status=S.ASSIGNED, assigned_to=world.rm, due_at=None, need_collateral="none")
    lead(
        version=fast,
        status=S.OFFER_MADE,
        assigned_to=world.other_rm,
        due_at=now + timedelta(days=1),
        indicative_limit=Decimal("880000.08"),
    )
    lead(revoked, status=S.ASSIGNED, assigned_to=world.rm, due_at=now + timedelta(days=2))


def _overdue(lead: Lead, now) -> bool:
    """Open, past its response time, and never contacted (the inbox's overdue flag)."""
    late = lead.due_at is not None and lead.due_at < now
    return lead.is_open and late and lead.first_contact_at is None


def expected_lead_cells(branch, *, now) -> list[list]:
    """The cells of the branch's lead export (the team tab), in the inbox's order, worked
    out from each lead's own fields and ``get_<field>_display`` in the active language."""
    leads = (
        Lead.objects.filter(branch=branch)
        .select_related("enterprise", "product", "branch", "assigned_to")
        .order_by("due_at", "-created_at", "-id")
    )
    rows = []
    for lead in leads:
        consented = Consent.objects.filter(
            enterprise=lead.enterprise, bank=lead.bank, revoked_at__isnull=True
        ).exists()
        values = [
            lead.enterprise.name if consented else gettext("(consent revoked)"),
            lead.enterprise.uscc if consented else "",
            lead.product.name,
            lead.indicative_limit,
            lead.need_amount,
            lead.get_need_purpose_display(),
            lead.need_term_months,
            lead.get_need_collateral_display(),
            lead.get_status_display(),
            lead.due_at,
            _overdue(lead, now),
            lead.branch.name,
            str(lead.assigned_to) if lead.assigned_to else "",
            lead.created_at,
            lead.get_decline_reason_display(),
            lead.decline_note,
        ]
        rows.append([safe_cell(v) for v in values])
    return rows


def head_office_rm(world: World):
    """A relationship manager of the bank's head office, which takes the leads of every
    zone no branch serves: every firm ``varied_matches`` makes (the world's branch serves
    only the world's enterprise's zone), so their export is the whole varied export."""
    return BankStaffFactory(branch=BranchFactory(bank=world.bank, is_head_office=True))


def staff_of_two_banks() -> World:
    """The world's manager also manages a second bank; the world's firm (which consented
    to the first bank only) is matched to a product of each."""
    world = World()
    other = BankFactory()
    Membership.objects.create(user=world.manager, role=Role.BANK_MANAGER, bank=other)
    for version in (world.version, ProductVersionFactory(product__bank=other)):
        Match.objects.create(
            enterprise=world.enterprise,
            product=version.product,
            product_version=version,
            score=60,
            indicative_limit=Decimal("1.00"),
            computed_at=timezone.now(),
        )
    return world
