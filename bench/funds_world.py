"""The fund bench's world (bench/funds_bench.py): a zone, a bank and branch, one product,
``loans / 5`` firms, the disbursed leads and their loans (with the opening report), a risk
pool with the bank cooperating, every loan filed (95 % confirmed), and on the 1 %
non-performing a claim each (paid, approved, reviewed or submitted); generated once per
size and reused, and the book reset to its opening state between timed runs."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

BATCH = 10_000
#: One loan in this many is reported 95 days past due (non-performing) and claimed on.
BAD_EVERY = 100


def tag(n: int) -> str:
    return f"bench-funds-{n}"


def reference(i: int) -> str:
    return f"LN{i:08d}"


def _user(email: str, *, totp: bool = True):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from ecosystem.accounts.models import User

    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        user.save()
    if totp and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def seed(n: int) -> dict:  # noqa: PLR0915 - one linear script, step by step
    """Generate (once) ``n`` loans filed into one pool; return the ids the bench needs."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.import_bench import uscc
    from ecosystem.accounts.models import Membership
    from ecosystem.accounts.roles import Role
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.financing.models import Bank, Branch, Lead, ProductVersion
    from ecosystem.financing.services import product_save
    from ecosystem.funds.models import (
        CompensationClaim,
        CooperatingBank,
        Filing,
        Loan,
        LoanReport,
        Scheme,
        SchemeVersion,
    )
    from ecosystem.zones.models import Zone

    name = tag(n)
    zone, _ = Zone.objects.get_or_create(code=name, defaults={"name_zh": name, "city": "基准"})
    bank, _ = Bank.objects.get_or_create(code=name, defaults={"name_zh": f"基准银行{n}"})
    branch, _ = Branch.objects.get_or_create(bank=bank, code="branch", defaults={"name_zh": "支行"})
    branch.zones.add(zone)
    rm, manager = _user(f"rm@{name}.invalid"), _user(f"manager@{name}.invalid")
    fm, fm2 = _user(f"fm@{name}.invalid"), _user(f"fm2@{name}.invalid")
    Membership.objects.get_or_create(
        user=rm, role=Role.BANK_RM, defaults={"bank": bank, "branch": branch}
    )
    Membership.objects.get_or_create(user=manager, role=Role.BANK_MANAGER, defaults={"bank": bank})
    scheme, _ = Scheme.objects.get_or_create(
        code=name,
        defaults={"name": f"基准风险补偿资金池{n}", "kind": "risk_pool", "owner_zone": zone},
    )
    for who in (fm, fm2):
        Membership.objects.get_or_create(user=who, role=Role.FUND_MANAGER, scheme=scheme)
    ids = {"rm": rm.pk, "fm": fm.pk, "bank": bank.pk, "scheme": scheme.pk}
    have = Loan.objects.filter(bank=bank).count()
    if have >= n:
        return ids
    if have:
        raise SystemExit(f"{have} loans of {name} exist, fewer than {n}: drop the database")

    started = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    version = product_save(
        bank=bank,
        actor=manager,
        code="tech",
        name_zh="基准科技贷",
        kind="unsecured",
        amount_min=Decimal(500_000),
        amount_max=Decimal(30_000_000),
        term_min_months=6,
        term_max_months=36,
        rate_min=Decimal("3.0"),
        rate_max=Decimal("4.5"),
        limit_basis="fixed",
        limit_factor=Decimal(3_000_000),
    )
    version = ProductVersion.objects.get(pk=version.pk)
    terms = SchemeVersion.objects.create(
        scheme=scheme,
        number=1,
        effective_from=today - timedelta(days=800),
        fund_size=Decimal("20000000000.00"),  # ¥20bn × 10: room for 100,000 loans
        leverage_cap=Decimal("10"),
        compensation_share=Decimal("0.50"),
        cumulative_cap=Decimal("10000000000.00"),
        per_firm_annual_cap=Decimal("30000000.00"),
        max_term_months=36,
        created_by=fm,
    )
    terms.zones.set([zone])
    CooperatingBank.objects.create(scheme=scheme, bank=bank, version=terms, accepted_by=manager)
    firms_n = -(-n // 5)
    with transaction.atomic():
        firm_ids: list[int] = []
        for low in range(0, firms_n, BATCH):
            firm_ids += [
                e.pk
                for e in Enterprise.objects.bulk_create(
                    Enterprise(
                        uscc=uscc(70_000_000 + n + i), name=f"基准贷款企业{n}-{i}", zone=zone
                    )
                    for i in range(low, min(firms_n, low + BATCH))
                )
            ]
        for low in range(0, n, BATCH):
            high = min(n, low + BATCH)
            leads = Lead.objects.bulk_create(
                Lead(
                    enterprise_id=firm_ids[i // 5],
                    zone=zone,
                    product_id=version.product_id,
                    product_version=version,
                    bank=bank,
                    branch=branch,
                    status="disbursed",
                    source="apply",
                    indicative_limit=Decimal(1_000_000),
                    assigned_to=rm,
                    due_at=now,
                    first_contact_due_at=now,
                    decision_due_at=now,
                )
                for i in range(low, high)
            )
            loans = Loan.objects.bulk_create(
                Loan(
                    bank=bank,
                    lead=lead,
                    enterprise_id=lead.enterprise_id,
                    reference=reference(i),
                    principal=Decimal(1_000_000),
                    disbursed_on=today - timedelta(days=60 + i % 300),
                    term_months=12 + 12 * (i % 3),
                    annual_rate=Decimal("3.8500"),
                    outstanding_principal=Decimal(1_000_000),
                    days_past_due=0,
                    classification="normal",
                    reported_on=today - timedelta(days=60 + i % 300),
                )
                for i, lead in zip(range(low, high), leads, strict=True)
            )
            LoanReport.objects.bulk_create(
                LoanReport(
                    loan=loan,
                    as_of=loan.disbursed_on,
                    outstanding_principal=loan.principal,
                    days_past_due=0,
                    classification="normal",
                    source="page",
                    reported_by=rm,
                )
                for loan in loans
            )
            filings = Filing.objects.bulk_create(
                Filing(
                    loan=loan,
                    scheme=scheme,
                    version=terms,
                    status="filed" if i % 20 == 0 else "confirmed",
                    amount=loan.principal,
                    filed_by=rm,
                    review_due_at=now,
                    decided_by=None if i % 20 == 0 else fm,
                    decided_at=None if i % 20 == 0 else now,
                )
                for i, loan in zip(range(low, high), loans, strict=True)
            )
            claims = []
            for i, filing in zip(range(low, high), filings, strict=True):
                if i % BAD_EVERY != 1:  # 1, 101, …: confirmed filings
                    continue
                status = ("paid", "approved", "reviewed", "submitted")[(i // BAD_EVERY) % 4]
                committed = status in ("paid", "approved")
                claims.append(
                    CompensationClaim(
                        filing=filing,
                        status=status,
                        principal=Decimal(800_000),
                        share=Decimal("0.5"),
                        requested=Decimal(400_000),
                        amount=Decimal(400_000) if committed else None,
                        recovery_actions="诉讼",
                        submitted_by=rm,
                        reviewed_by=fm if status != "submitted" else None,
                        approved_by=fm2 if committed else None,
                        payment_reference=f"PAY{i}" if status == "paid" else "",
                    )
                )
            CompensationClaim.objects.bulk_create(claims)
            print(f"  {high:,} loans filed", flush=True)
    reset_book(ids)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {n:,} filed loans in {time.perf_counter() - started:.1f} s", flush=True)
    return ids


def reset_book(ids: dict) -> None:
    """The book as opened: each loan's opening report only, its state the opening one; the
    loans claimed on stay 95 days past due (their claims need them non-performing)."""
    from django.db import connection

    from bench.baselines import checkpoint

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM funds_loanreport r USING funds_loan l WHERE r.loan_id = l.id "
            "AND l.bank_id = %s AND r.source = 'upload'",
            [ids["bank"]],
        )
        cursor.execute(
            "UPDATE funds_loan SET outstanding_principal = principal, next_due_date = NULL, "
            "days_past_due = CASE WHEN substring(reference, 3)::int %% %s = 1 THEN 95 ELSE 0 END, "
            "classification = 'normal', reported_on = disbursed_on WHERE bank_id = %s",
            [BAD_EVERY, ids["bank"]],
        )
        cursor.execute("VACUUM ANALYZE funds_loan")
        cursor.execute("VACUUM ANALYZE funds_loanreport")
    checkpoint()
