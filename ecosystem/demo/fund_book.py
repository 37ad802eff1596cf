"""The demo's policy-fund history, after the leads' history: loans of the demo bank to
Zhongguancun firms in the loan book, filed into the zone's risk pool and subsidised.

Six loans, from disbursed demo leads (the history's, and a few more applied for on the
firms' matches months ago); each firm's technology qualification is claimed and verified
by the zone official before its disbursement (so the filing finds it, with provenance):

1. filed, confirmed, 120 days past due (substandard): claimed, reviewed by the first fund
   manager, approved by the second, paid; a later recovery refunds the pool's share;
2. filed, confirmed, 96 days past due: the claim reviewed, awaiting the second manager;
3. filed, confirmed, performing: interest subsidies paid, approved and confirmed;
4. filed, awaiting the fund manager's confirmation;
5. filed and refused by the fund manager (with the reason);
6. in the book, not filed: a subsidy application waiting for the bank, one refused.

Everything through the services on a demo clock in the past (``history.demo_clock``).
Idempotent: seeded once, recognised by the demo loan references.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecosystem.accounts.models import User
from ecosystem.core.errors import ApplicationError
from ecosystem.demo.history import REAL_NOW, _owner_of, _rms, _walk, demo_clock

REFERENCE = "ZGC-DEMO-{:03d}"
#: How many loans the story needs.
LOANS = 6
#: Days before today the applications for the extra loans were made.
EXTRA_LEADS_DAYS = (270, 240, 210)
#: A one-page PDF: the certificate's scan a claim needs to be submitted.
CERTIFICATE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(days_ago: int, hour: int = 10):
    """``days_ago`` days before today, at ``hour`` (Shanghai time)."""
    day = timezone.localtime(REAL_NOW()) - timedelta(days=days_ago)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _ago(hours: int):
    return REAL_NOW() - timedelta(hours=hours)


def _leads(bank, zone, rms, out) -> list:
    """Disbursed leads of the bank to firms of ``zone`` without a loan: the history's,
    then new ones applied for on the firms' matches (oldest first)."""
    from ecosystem.financing import services
    from ecosystem.financing.models import Lead, Match
    from ecosystem.financing.selectors import open_leads_of

    extra = []
    rng = random.Random(17)  # noqa: S311 - demo data, not security
    matches = (
        Match.objects.filter(product__bank=bank, enterprise__zone=zone, product__is_active=True)
        .select_related("enterprise", "product")
        .order_by("enterprise__uscc", "product__code")
    )
    taken = set(Lead.objects.filter(bank=bank).values_list("enterprise_id", flat=True))
    for match in matches:
        if len(extra) == len(EXTRA_LEADS_DAYS):
            break
        if match.enterprise_id in taken or open_leads_of(enterprise=match.enterprise).exists():
            continue
        taken.add(match.enterprise_id)
        moment = _at(EXTRA_LEADS_DAYS[len(extra)])
        owner = _owner_of(match.enterprise)
        _qualify(match.enterprise, owner, moment - timedelta(days=20))

        try:
            with demo_clock(moment):
                lead = services.match_apply(enterprise=match.enterprise, actor=owner, match=match)
        except ApplicationError:
            continue  # the firm's figures do not allow this product: the next match
        _walk(lead, "disbursed", moment, rms[lead.branch_id], owner, rng)
        lead.refresh_from_db()
        extra.append(lead)
    earlier = list(
        Lead.objects.filter(
            bank=bank, enterprise__zone=zone, status=Lead.Status.DISBURSED, loan__isnull=True
        )
        .exclude(pk__in=[lead.pk for lead in extra])
        .select_related("enterprise", "disbursement")
        .order_by("pk")
    )
    for lead in earlier:
        disbursed = lead.disbursement.disbursed_on
        moment = _at((REAL_NOW().date() - disbursed).days + 20)
        _qualify(lead.enterprise, _owner_of(lead.enterprise), moment)
    out.write(f"demo fund book: {len(extra)} loans applied for months ago, {len(earlier)} more")
    return extra + earlier


def _qualify(enterprise, owner, moment) -> None:
    """The firm claims a technology qualification the pool accepts (with its certificate)
    and the zone official verifies it at ``moment``: the filing's provenance."""
    from ecosystem.enterprises.models import QualificationClaim
    from ecosystem.enterprises.services.claims import claim_create, claim_submit, claim_transition
    from ecosystem.enterprises.workflow import ClaimStatus
    from ecosystem.registries.models import Program

    official = User.objects.get(email="official@demo.kejinlink.cn")
    for code in ("tsme", "hte"):
        program = Program.objects.get(code=code)
        claims = QualificationClaim.objects.filter(enterprise=enterprise, program=program)
        if claims.filter(decided_at__lte=moment, status=ClaimStatus.VERIFIED).exists():
            return
        claim = claims.filter(status=ClaimStatus.DRAFT).first()
        if claims.exclude(status=ClaimStatus.DRAFT).exists():
            continue  # decided otherwise, or waiting in the zone's queue: the other program
        with demo_clock(moment):
            if claim is None:
                claim = claim_create(
                    enterprise=enterprise,
                    actor=owner,
                    program=program,
                    certificate_number=f"GR{moment.year - 1}{enterprise.uscc[-6:]}",
                    year=moment.year - 1,
                    valid_until=moment.date() + timedelta(days=3 * 365),
                    uploads=[
                        SimpleUploadedFile("证书.pdf", CERTIFICATE, content_type="application/pdf")
                    ],
                )
            elif not claim.evidence.exists():
                from ecosystem.enterprises.services.claims import evidence_add

                evidence_add(
                    claim=claim,
                    actor=owner,
                    upload=SimpleUploadedFile(
                        "证书.pdf", CERTIFICATE, content_type="application/pdf"
                    ),
                )
            claim = claim_submit(claim=claim, actor=owner)
        claim.refresh_from_db()
        if claim.status != ClaimStatus.VERIFIED:
            with demo_clock(moment + timedelta(hours=3)):
                claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)
        return


def _status(as_of, outstanding, days=0, classification="normal"):
    from ecosystem.funds.services.loans import Status

    return Status(
        as_of=as_of,
        outstanding_principal=Decimal(outstanding).quantize(Decimal("0.01")),
        days_past_due=days,
        classification=classification,
    )


def _open(lead, n: int, rm):
    """The loan in the book a day after its disbursement, then its monthly interest."""
    from ecosystem.funds import services

    disbursed = lead.disbursement.disbursed_on
    principal = lead.disbursement.amount
    with demo_clock(_at((REAL_NOW().date() - disbursed).days - 1)):
        loan = services.loan_open(
            lead=lead,
            actor=rm,
            reference=REFERENCE.format(n),
            status=_status(disbursed, principal),
        )
    monthly = (loan.principal * loan.annual_rate / 100 / 12).quantize(Decimal("0.01"))
    day, month = disbursed + timedelta(days=30), 1
    while day < REAL_NOW().date() - timedelta(days=2):
        with demo_clock(_at((REAL_NOW().date() - day).days)):
            services.loan_event_record(
                loan=loan,
                actor=rm,
                kind="interest",
                amount=monthly,
                paid_on=day,
                reference=f"{loan.reference}-INT-{month:02d}",
            )
        day, month = day + timedelta(days=30), month + 1
    return loan


def _days_since(day) -> int:
    return (REAL_NOW().date() - day).days


def _filed(loan, pool, rm, fm, *, decide=None, reason=""):
    from ecosystem.funds import services

    with demo_clock(_at(_days_since(loan.disbursed_on) - 2)):
        filing = services.filing_submit(loan=loan, scheme=pool, actor=rm)
    if decide:
        with demo_clock(_at(_days_since(loan.disbursed_on) - 4, hour=15)):
            filing = services.filing_transition(filing=filing, to=decide, actor=fm, reason=reason)
    return filing


def _default(loan, rm, *, days, classification, share_left):
    from ecosystem.funds import services

    with demo_clock(_ago(72)):
        services.loan_report(
            loan=loan,
            actor=rm,
            status=_status(
                REAL_NOW().date() - timedelta(days=3),
                loan.principal * Decimal(share_left),
                days,
                classification,
            ),
        )


def _claims(filings, rm, fm, fm2) -> None:
    """The first defaulted loan's claim approved by the second manager, paid, recovered in
    part; the second's reviewed and waiting for the second manager."""
    from ecosystem.funds import services

    recovery = "已发送催收函并提起诉讼，查封企业设备一批，申请财产保全。"
    paid, waiting = filings
    with demo_clock(_ago(50)):
        claim = services.claim_submit(filing=paid, actor=rm, recovery_actions=recovery)
    with demo_clock(_ago(46)):
        claim = services.claim_transition(claim=claim, to="reviewed", actor=fm)
    with demo_clock(_ago(30)):
        claim = services.claim_transition(claim=claim, to="approved", actor=fm2)
    with demo_clock(_ago(26)):
        claim = services.claim_transition(
            claim=claim, to="paid", actor=fm, payment_reference="ZGC-POOL-PAY-001"
        )
    with demo_clock(_ago(3)):
        services.recovery_record(
            claim=claim, actor=rm, recovered=Decimal("100000.00"), reference="ZGC-REC-001"
        )
    with demo_clock(_ago(20)):
        claim = services.claim_submit(filing=waiting, actor=rm, recovery_actions=recovery)
    with demo_clock(_ago(6)):
        services.claim_transition(claim=claim, to="reviewed", actor=fm)


def _subsidies(subsidy, performing, unfiled, rm, fm) -> None:
    """On the performing filed loan: periods paid, approved and confirmed; on the loan not
    filed: one refused by the bank, one waiting for it."""
    from ecosystem.funds import services

    def apply(loan, start_days, length=30):
        start = loan.disbursed_on + timedelta(days=start_days)
        end = start + timedelta(days=length - 1)
        with demo_clock(_at(_days_since(end) - 3)):
            return services.subsidy_apply(
                loan=loan,
                scheme=subsidy,
                actor=_owner_of(loan.enterprise),
                period_start=start,
                period_end=end,
            )

    def move(application, to, actor, days_after, **kwargs):
        with demo_clock(_at(_days_since(application.period_end) - 3 - days_after, hour=15)):
            return services.subsidy_transition(
                application=application, to=to, actor=actor, **kwargs
            )

    steps = {"paid": 3, "approved": 2, "confirmed": 1}
    for n, count in enumerate(steps.values()):
        application = apply(performing, 1 + 30 * n)
        application = move(application, "confirmed", rm, 1, interest_paid=application.interest_paid)
        if count >= 2:
            application = move(application, "approved", fm, 2)
        if count >= 3:
            move(application, "paid", fm, 3)
    refused = apply(unfiled, 1)
    move(refused, "refused", rm, 1, reason="该期间利息尚未实际结清，请结清后重新申请。")
    apply(unfiled, 31)


def seed(out) -> None:
    from django.test.utils import override_settings

    from ecosystem.financing.models import Bank
    from ecosystem.funds.demo import FUND_MANAGER, POOL_CODE, SECOND_FUND_MANAGER, SUBSIDY_NAME
    from ecosystem.funds.models import Loan, Scheme
    from ecosystem.zones.models import Zone

    bank = Bank.objects.get(code="demo-bank")
    if Loan.objects.filter(bank=bank, reference__startswith="ZGC-DEMO-").exists():
        return
    pool = Scheme.objects.get(code=POOL_CODE)
    subsidy = Scheme.objects.get(name=SUBSIDY_NAME)
    fm = User.objects.get(email=FUND_MANAGER)
    fm2 = User.objects.get(email=SECOND_FUND_MANAGER)
    rms = _rms(bank)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        leads = _leads(bank, Zone.objects.get(code="zgc"), rms, out)[:LOANS]
        if len(leads) < LOANS:
            out.write(f"demo fund book: only {len(leads)} disbursed leads in the zone; skipped")
            return
        loans = [_open(lead, n, rms[lead.branch_id]) for n, lead in enumerate(leads, start=1)]
        rm = rms[leads[0].branch_id]
        filings = [
            _filed(loan, pool, rms[loan.lead.branch_id], fm, decide="confirmed")
            for loan in loans[:3]
        ]
        _filed(loans[3], pool, rms[loans[3].lead.branch_id], fm)
        _filed(
            loans[4],
            pool,
            rms[loans[4].lead.branch_id],
            fm,
            decide="refused",
            reason="借款用途为归还其他银行贷款，不属于科技信贷支持范围，不予备案。",
        )
        _default(loans[0], rm, days=120, classification="substandard", share_left="0.9")
        _default(loans[1], rm, days=96, classification="special_mention", share_left="0.95")
        _claims(filings[:2], rm, fm, fm2)
        _subsidies(subsidy, loans[2], loans[5], rms[loans[2].lead.branch_id], fm)
    out.write(
        f"demo fund book: {len(loans)} loans ({', '.join(loan.reference for loan in loans)}), "
        "filings confirmed / awaiting / refused, a paid claim with a recovery, a claim awaiting "
        "the second fund manager, subsidy applications in each state"
    )
