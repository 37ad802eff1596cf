"""A few months of demo history, so every role finds work and every funnel has figures:
leads in every state (some overdue), offers accepted and declined, disbursements, a sent
campaign with answered invitations, claims decided by the zone (verified, rejected, more
information asked) and some waiting past the target, and an official list import with
refused rows awaiting confirmation.

Everything goes through the services (so the audit trail, the timelines and the
notifications agree), each step on a demo clock set in the past: ``timezone.now`` answers
the step's moment while it runs. Idempotent: each part is seeded once, recognised by what
it left (a demo bank's lead, a demo campaign, a decided claim of the zone, the demo batch).
"""

from __future__ import annotations

import random
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecosystem.accounts.models import Membership, User
from ecosystem.accounts.roles import Role
from ecosystem.accounts.scope import owners_of_enterprise, scope_of
from ecosystem.core.errors import ApplicationError

#: How far back the history starts.
DAYS = 120
#: The demo official list's batch (the import left awaiting confirmation).
IMPORT_BATCH = "2026年第二批"
#: The demo official list imported weeks ago, with refused rows.
EARLIER_BATCH = "2026年第一批"
REAL_NOW = timezone.now


@contextmanager
def demo_clock(moment: datetime):
    """``timezone.now()`` answers ``moment`` (and a microsecond later each call, so rows
    made in one step keep their order) while the block runs."""
    ticks = iter(range(10**9))

    def now():
        return moment + timedelta(microseconds=next(ticks))

    with mock.patch("django.utils.timezone.now", now):
        yield


def _staff(email: str, full_name: str, **membership) -> User:
    from ecosystem.demo.accounts import _account, _second_factor

    user = _account(email, full_name)
    Membership.objects.get_or_create(user=user, **membership)
    _second_factor(user)
    return user


def _owner_of(enterprise) -> User:
    """The enterprise's first owner; a demo owner account when it has none."""
    from ecosystem.demo.accounts import _account

    owner = owners_of_enterprise(enterprise.pk).first()
    if owner is not None:
        return owner
    user = _account(
        f"owner-{enterprise.uscc.lower()}@demo.kejinlink.cn", f"{enterprise.name}负责人"
    )
    Membership.objects.create(user=user, enterprise=enterprise, role=Role.ENTERPRISE_OWNER)
    return user


def _rms(bank) -> dict[int, User]:
    """One relationship manager per branch serving a zone (the Beijing one is the demo RM)."""
    from ecosystem.financing.models import Branch

    rms = {}
    for branch in Branch.objects.filter(bank=bank, zones__isnull=False).distinct():
        if branch.code == "beijing":
            rms[branch.pk] = User.objects.get(email="rm@demo.kejinlink.cn")
        else:
            rms[branch.pk] = _staff(
                f"rm-{branch.code}@demo.kejinlink.cn",
                f"{branch.name_zh}客户经理",
                role=Role.BANK_RM,
                bank=bank,
                branch=branch,
            )
    return rms


#: The story of each demo lead: the states it goes through after the application, and for
#: a decline its reason. Offered amounts are a share of the indicative limit.
PLANS = [
    ["disbursed"],
    ["disbursed"],
    ["disbursed"],
    ["disbursed"],
    ["disbursed"],
    ["accepted"],
    ["accepted"],
    ["offer_made"],
    ["offer_made"],
    ["offer_made"],
    ["offer_declined"],
    ["offer_declined"],
    ["declined:revenue_too_low"],
    ["declined:credit_history"],
    ["declined:missing_documents"],
    ["contacted"],
    ["contacted"],
    ["assigned"],
    ["assigned:overdue"],
    ["new"],
    ["new:overdue"],
    ["withdrawn"],
    ["expired"],
]


def _lead_history(bank, out) -> None:
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.financing import services
    from ecosystem.financing.eligibility.matcher import rematch
    from ecosystem.financing.models import Lead, Match

    if Lead.objects.filter(bank=bank).exists():
        return
    rng = random.Random(18)  # noqa: S311 - demo data, not security
    rematch(enterprise_ids=list(Enterprise.objects.values_list("pk", flat=True)))
    rms = _rms(bank)
    founder = User.objects.get(email="founder@demo.kejinlink.cn")
    founder_enterprise = Enterprise.objects.get(pk__in=scope_of(founder, fresh=True).enterprise_ids)
    matches = list(
        Match.objects.filter(product__bank=bank)
        .select_related("enterprise", "product")
        .order_by("enterprise__uscc", "product__code")
    )
    # The founder's enterprise first (an offer waits for its answer), then a spread over
    # the zones: no enterprise twice.
    first = [m for m in matches if m.enterprise_id == founder_enterprise.pk][:1]
    rest = [m for m in matches if m.enterprise_id != founder_enterprise.pk]
    rng.shuffle(rest)
    chosen, seen = list(first), {m.enterprise_id for m in first}
    for match in rest:
        if match.enterprise_id not in seen:
            chosen.append(match)
            seen.add(match.enterprise_id)
    plans = list(PLANS)
    if first:
        plans.insert(0, plans.pop(plans.index(["offer_made"])))
    now = REAL_NOW()
    start = now - timedelta(days=DAYS)
    made = 0
    for index, (match, plan) in enumerate(zip(chosen, plans, strict=False)):
        step = plan[0]
        overdue = step.endswith(":overdue")
        if overdue or step == "new":
            moment = now - timedelta(days=3 if overdue else 0, hours=2)
        elif step in ("offer_made", "assigned", "contacted"):
            moment = now - timedelta(days=rng.randint(4, 12))
        else:
            moment = start + timedelta(days=index * 4 + rng.randint(0, 3), hours=rng.randint(1, 6))
        moment = moment.replace(hour=10) if not overdue else moment
        owner = _owner_of(match.enterprise)
        with demo_clock(moment):
            lead = services.match_apply(enterprise=match.enterprise, actor=owner, match=match)
        made += 1
        _walk(lead, step, moment, rms[lead.branch_id], owner, rng)
    out.write(f"demo history: {made} leads")


def _walk(lead, step: str, moment: datetime, rm: User, owner: User, rng) -> None:
    """Take ``lead`` through ``step``'s states, a working day or two apart."""
    from ecosystem.financing import services
    from ecosystem.financing.models import Lead

    name, _sep, detail = step.partition(":")
    if name == "new":
        return
    if name == "withdrawn":
        with demo_clock(moment + timedelta(days=1)):
            services.lead_transition(lead=lead, to=Lead.Status.WITHDRAWN, actor=owner)
        return
    if name == "expired":
        with demo_clock(moment + timedelta(days=30)):
            services.lead_transition(lead=lead, to=Lead.Status.EXPIRED, actor=None)
        return
    moment += timedelta(hours=1 if name != "assigned" or detail != "overdue" else 0, minutes=20)
    with demo_clock(moment):
        services.lead_claim(lead=lead, actor=rm)
    if name == "assigned":
        return
    moment += timedelta(hours=3)
    with demo_clock(moment):
        services.lead_note_add(
            lead=lead,
            actor=rm,
            body="已电话联系企业财务负责人，约定提交近两年财务报表。",
            contact=True,
        )
    lead.refresh_from_db()
    if lead.status == Lead.Status.ASSIGNED:
        with demo_clock(moment):
            services.lead_transition(lead=lead, to=Lead.Status.CONTACTED, actor=rm)
    if name == "declined":
        with demo_clock(moment + timedelta(days=1)):
            services.lead_transition(
                lead=lead,
                to=Lead.Status.DECLINED,
                actor=rm,
                reason_code=detail,
                note="经审查，暂不符合本行授信政策。",
            )
        return
    if name == "contacted":
        return
    version = lead.product_version
    amount = min(
        max(lead.indicative_limit * Decimal("0.8"), version.amount_min), version.amount_max
    ).quantize(Decimal("10000"))
    rate = (version.rate_min + version.rate_max) / 2
    moment += timedelta(days=1)
    with demo_clock(moment):
        offer = services.offer_make(
            lead=lead,
            actor=rm,
            amount=amount,
            rate=rate.quantize(Decimal("0.0001")),
            term_months=version.term_min_months,
            valid_until=moment + timedelta(days=30),
            conditions="按月付息，到期还本。",
            override_reason=(
                "企业经营稳健，经审批按产品起点金额授信。" if amount > lead.indicative_limit else ""
            ),
        )
    if name == "offer_made":
        return
    moment += timedelta(days=rng.randint(1, 3))
    with demo_clock(moment):
        if name == "offer_declined":
            services.offer_decline(offer=offer, actor=owner)
            return
        services.offer_accept(offer=offer, actor=owner)
    if name == "accepted":
        return
    moment += timedelta(days=rng.randint(2, 5))
    with demo_clock(moment):
        services.disbursement_record(
            lead=lead, actor=rm, amount=offer.amount, disbursed_on=timezone.localdate()
        )


def _campaign(bank, out) -> None:
    from ecosystem.financing import services
    from ecosystem.financing.models import Campaign, Product

    if Campaign.objects.filter(bank=bank).exists():
        return
    manager = User.objects.get(email="manager@demo.kejinlink.cn")
    product = Product.objects.get(bank=bank, code="growth-credit")
    sent_at = REAL_NOW() - timedelta(days=40)
    with demo_clock(sent_at):
        campaign = services.campaign_create(product=product, actor=manager)
        services.campaign_send(campaign=campaign, actor=manager)
    invitations = list(campaign.invitations.select_related("enterprise").order_by("pk"))
    for n, invitation in enumerate(invitations[:4]):
        owner = _owner_of(invitation.enterprise)
        with demo_clock(sent_at + timedelta(days=2 + n)):
            if n % 2:
                services.invitation_decline(invitation=invitation, actor=owner)
            else:
                # An enterprise already asking for the product keeps its lead.
                with suppress(ApplicationError):
                    services.invitation_accept(invitation=invitation, actor=owner)
    with demo_clock(REAL_NOW() - timedelta(days=1)):
        services.campaign_create(
            product=Product.objects.get(bank=bank, code="talent-loan"), actor=manager
        )
    out.write(f"demo history: a campaign with {len(invitations)} invitations, and a draft")


def _claim_decisions(out) -> None:
    """The zone official of Zhongguancun decides some claims of the zone; a few others wait
    past the zone's target."""
    from ecosystem.enterprises.models import QualificationClaim
    from ecosystem.enterprises.services.claims import claim_transition
    from ecosystem.enterprises.waiting import CLAIMS, waiting_sync
    from ecosystem.enterprises.workflow import ClaimStatus
    from ecosystem.zones.models import RejectionReason, Zone

    official = User.objects.get(email="official@demo.kejinlink.cn")
    zone = Zone.objects.get(pk__in=scope_of(official, fresh=True).zone_ids)
    # The first run moves the zone's submitted claims weeks back: finding one means done.
    if QualificationClaim.objects.filter(
        enterprise__zone=zone, submitted_at__lt=REAL_NOW() - timedelta(days=20)
    ).exists():
        return
    waiting = list(
        QualificationClaim.objects.filter(
            enterprise__zone=zone, status=ClaimStatus.SUBMITTED
        ).order_by("pk")
    )
    reason = RejectionReason.objects.filter(is_active=True).order_by("pk").first()
    now = REAL_NOW()
    for n, claim in enumerate(waiting):
        submitted = now - timedelta(days=60 - n * 5)
        QualificationClaim.objects.filter(pk=claim.pk).update(submitted_at=submitted)
        waiting_sync(enterprise_ids=[claim.enterprise_id], backlogs=(CLAIMS,))  # its day moved
        decision = n % 4
        with demo_clock(submitted + timedelta(days=2)):
            if decision == 0:
                claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)
            elif decision == 1 and reason is not None:
                claim_transition(
                    claim=claim,
                    to=ClaimStatus.REJECTED,
                    actor=official,
                    reason_code=reason.code,
                    reason_text="证书编号与颁发机构公示信息不一致。",
                )
            elif decision == 2:
                claim_transition(
                    claim=claim,
                    to=ClaimStatus.NEEDS_INFO,
                    actor=official,
                    message="请补充上传证书原件扫描件。",
                )
            # the rest wait, past the zone's target
    out.write(f"demo history: {len(waiting)} claims of {zone} submitted in the past")


def _list_file(batch: str, rows: list[tuple[str, str]]) -> SimpleUploadedFile:
    lines = ["序号,统一社会信用代码,企业名称,批次,年度,有效期至,所属地区"]
    lines += [
        f"{n},{uscc},{name},{batch},2026,2028-12-31,北京市"
        for n, (uscc, name) in enumerate(rows, start=1)
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return SimpleUploadedFile("科技型中小企业名单.csv", data, content_type="text/csv")


def _list_import(out) -> None:
    """Two lists of the technology-based SME program with refused rows: one imported six
    weeks ago (its refused rows listed), one awaiting the officer's confirmation."""
    from ecosystem.enterprises.demo import ENTERPRISES, demo_uscc
    from ecosystem.registries.models import ListImport, Program
    from ecosystem.registries.running import list_import_run
    from ecosystem.registries.services import list_import_confirm, list_import_upload

    program = Program.objects.get(code="tsme")
    if ListImport.objects.filter(program=program, batch=IMPORT_BATCH).exists():
        return
    officer = User.objects.get(email="registry@demo.kejinlink.cn")
    stories = [(demo_uscc(prefix), name) for prefix, name, *_ in ENTERPRISES]
    wrong = [("91110108MA01XXXXX1", "信用代码有误的企业"), ("", "缺少信用代码的企业")]
    past = REAL_NOW() - timedelta(days=45)
    with demo_clock(past):
        earlier = list_import_upload(
            actor=officer,
            program=program,
            batch=EARLIER_BATCH,
            upload=_list_file(EARLIER_BATCH, stories[:2] + wrong),
        )
        list_import_confirm(list_import=earlier, actor=officer)
    with demo_clock(past + timedelta(minutes=5)):
        # The worker's run, here and now (the task sent after commit finds it done).
        list_import_run(import_id=earlier.pk)
    with demo_clock(REAL_NOW() - timedelta(days=2)):
        list_import_upload(
            actor=officer,
            program=program,
            batch=IMPORT_BATCH,
            upload=_list_file(IMPORT_BATCH, stories[1:] + wrong[:1]),
        )
    out.write("demo history: an official list imported with refused rows, one to confirm")


def seed(out) -> None:
    from django.test.utils import override_settings

    from ecosystem.financing.models import Bank

    bank = Bank.objects.get(code="demo-bank")
    # The history's notifications are stored for the pages; their e-mails (hundreds, to
    # demo addresses) are not printed on the console of ``make run``.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _claim_decisions(out)
        _lead_history(bank, out)
        _campaign(bank, out)
        _list_import(out)
