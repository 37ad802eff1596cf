"""Each role's home page as a work queue: what needs the user today, read from the database
and scoped to the user.

A panel per active membership (and one for a platform admin): counters, each linking to the
list it counts (filtered), and up to ``ITEMS`` lines of work, each linking to its object.
Every panel makes a fixed number of queries whatever the number of claims, leads, offers or
imports behind it (tests/unit/test_home.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.roles import BANK_ROLES, ENTERPRISE_ROLES, Role
from ecosystem.accounts.scope import active_memberships, members_of_enterprise, scope_of

#: Lines of work shown per panel (the counters link to the rest).
ITEMS = 5


@dataclass
class Counter:
    label: str
    value: int
    url: str = ""
    #: Drawn as needing attention when not zero.
    urgent: bool = False


@dataclass
class WorkItem:
    title: str
    url: str
    detail: str = ""
    urgent: bool = False


@dataclass
class Panel:
    role: str
    title: str
    scope: str
    figures: list[Counter] = field(default_factory=list)
    items: list[WorkItem] = field(default_factory=list)
    #: Heading of the work list; shown with ``empty`` when there is no work.
    items_title: str = ""
    empty: str = ""
    #: (label, url) of the pages the role oversees (a platform admin's way into each party's
    #: pages, which its navigation does not list).
    links: list[tuple[str, str]] = field(default_factory=list)


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _enterprise_panel(m) -> Panel:
    from ecosystem.enterprises.models import QualificationClaim
    from ecosystem.enterprises.workflow import ClaimStatus
    from ecosystem.financing import workflow
    from ecosystem.financing.models import CampaignInvitation, Lead, Match, Offer

    enterprise = m.enterprise
    now = timezone.now()
    leads_url = _url("financing_enterprise_leads", enterprise.pk)
    offers = list(
        Offer.objects.filter(
            lead__enterprise=enterprise, status=Offer.Status.MADE, valid_until__gt=now
        )
        .select_related("lead__product", "lead__bank")
        .order_by("valid_until", "pk")[:ITEMS]
    )
    invitations = list(
        CampaignInvitation.objects.filter(
            enterprise=enterprise,
            status=CampaignInvitation.Status.SENT,
            expires_at__gt=now,
        )
        .select_related("campaign__product_version__product", "campaign__bank")
        .order_by("expires_at", "pk")[:ITEMS]
    )
    to_fix = list(
        QualificationClaim.objects.filter(
            enterprise=enterprise, status__in=[ClaimStatus.REJECTED, ClaimStatus.NEEDS_INFO]
        )
        .select_related("program")
        .order_by("-updated_at", "pk")[:ITEMS]
    )
    counts = {
        "open": Lead.objects.filter(enterprise=enterprise, status__in=workflow.OPEN).count(),
        "offers": Offer.objects.filter(
            lead__enterprise=enterprise, status=Offer.Status.MADE, valid_until__gt=now
        ).count(),
        "invitations": CampaignInvitation.objects.filter(
            enterprise=enterprise, status=CampaignInvitation.Status.SENT, expires_at__gt=now
        ).count(),
        "to_fix": QualificationClaim.objects.filter(
            enterprise=enterprise, status__in=[ClaimStatus.REJECTED, ClaimStatus.NEEDS_INFO]
        ).count(),
        "matches": Match.objects.filter(enterprise=enterprise).count(),
    }
    items = [
        WorkItem(
            _("Offer from %(bank)s: %(product)s")
            % {"bank": o.lead.bank, "product": o.lead.product},
            leads_url,
            _("answer by %(when)s") % {"when": _when(o.valid_until)},
            urgent=True,
        )
        for o in offers
    ]
    items += [
        WorkItem(
            _("Invitation from %(bank)s: %(product)s")
            % {"bank": i.campaign.bank, "product": i.campaign.product_version.product},
            _url("financing_invitations", enterprise.pk),
            _("answer by %(when)s") % {"when": _when(i.expires_at)},
        )
        for i in invitations
    ]
    items += [
        WorkItem(
            _("%(program)s: %(status)s") % {"program": c.program, "status": c.get_status_display()},
            reverse("claim_detail", args=[enterprise.pk, c.pk]),
            c.reason_text,
            urgent=c.status == ClaimStatus.NEEDS_INFO,
        )
        for c in to_fix
    ]
    return Panel(
        m.role,
        m.get_role_display(),
        f"{enterprise} ({enterprise.uscc})",
        [
            Counter(
                _("Offers awaiting your answer"),
                counts["offers"],
                leads_url,
                urgent=True,
            ),
            Counter(
                _("Invitations from banks"),
                counts["invitations"],
                _url("financing_invitations", enterprise.pk),
                urgent=True,
            ),
            Counter(_("Open applications"), counts["open"], leads_url),
            Counter(
                _("Claims to correct"),
                counts["to_fix"],
                _url("claim_list", enterprise.pk),
                urgent=True,
            ),
            Counter(
                _("Matched products"),
                counts["matches"],
                _url("financing_enterprise_matches", enterprise.pk),
            ),
            Counter(
                _("Members"),
                members_of_enterprise(enterprise.pk).count(),
                _url("member_list", enterprise.pk),
            ),
        ],
        items[: ITEMS * 2],
        _("Needs your answer"),
        _("Nothing waits for your answer."),
    )


def _zone_panel(m) -> Panel:
    from ecosystem.core.workdays import calendar_overrides, working_days_between
    from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
    from ecosystem.enterprises.workflow import AWAITING_DECISION
    from ecosystem.financing.models import Lead
    from ecosystem.financing.selectors import overdue_q

    zone = m.zone
    today = timezone.localdate()
    overrides = calendar_overrides()
    target = zone.review_target_days
    waiting = list(
        QualificationClaim.objects.filter(enterprise__zone=zone, status__in=AWAITING_DECISION)
        .select_related("enterprise", "program")
        .order_by("submitted_at", "pk")
        .only(
            "pk",
            "status",
            "submitted_at",
            "created_at",
            "enterprise__name",
            "enterprise__name_en",
            "enterprise__uscc",
            "program__name_zh",
            "program__name_en",
            "program__code",
        )
    )

    def age(claim) -> int:
        since = claim.submitted_at or claim.created_at
        return working_days_between(timezone.localtime(since).date(), today, overrides)

    aged = [(claim, age(claim)) for claim in waiting]
    late = [(c, a) for c, a in aged if a > target]
    years = FinancialYear.objects.filter(
        enterprise__zone=zone, verification_status="unverified"
    ).count()
    overdue_leads = Lead.objects.filter(overdue_q(timezone.now()), enterprise__zone=zone).count()
    shown = (late or aged)[:ITEMS]
    return Panel(
        m.role,
        m.get_role_display(),
        str(zone),
        [
            Counter(
                _("Claims past the review target"),
                len(late),
                _url("zone_queue", kind="claim", min_age=target + 1),
                urgent=True,
            ),
            Counter(_("Claims waiting for review"), len(aged), _url("zone_queue", kind="claim")),
            Counter(
                _("Yearly figures to verify"),
                years,
                _url("zone_queue", kind="financial_year"),
            ),
            Counter(
                _("Bank leads overdue in the zone"),
                overdue_leads,
                _url("zone_dashboard"),
                urgent=True,
            ),
            Counter(
                _("Enterprises registered in the zone"),
                Enterprise.objects.filter(zone=zone).count(),
                _url("zone_dashboard"),
            ),
        ],
        [
            WorkItem(
                f"{claim.enterprise} · {claim.program}",
                reverse("zone_claim_review", args=[claim.pk]),
                _("waiting %(days)s working days (target %(target)s)")
                % {"days": days, "target": target},
                urgent=days > target,
            )
            for claim, days in shown
        ],
        _("Past the target first, then the oldest") if late else _("Oldest first"),
        _("No claim waits for review."),
    )


def _registry_panel(m) -> Panel:
    from ecosystem.registries.models import ListImport, RegistryEntry

    program = m.program
    imports = ListImport.objects.filter(program=program)
    waiting = list(
        imports.filter(status=ListImport.Status.PREVIEW).order_by("created_at", "pk")[:ITEMS]
    )
    return Panel(
        m.role,
        m.get_role_display(),
        str(program),
        [
            Counter(
                _("Imports waiting for confirmation"),
                imports.filter(status=ListImport.Status.PREVIEW).count(),
                _url("registry_imports"),
                urgent=True,
            ),
            Counter(
                _("Imports that failed"),
                imports.filter(status=ListImport.Status.FAILED).count(),
                _url("registry_imports"),
            ),
            Counter(
                _("Current entries in the list"),
                RegistryEntry.objects.filter(
                    program=program, status=RegistryEntry.Status.CURRENT
                ).count(),
                _url("registry_lists"),
            ),
        ],
        [
            WorkItem(
                f"{i.original_name} · {i.batch}",
                reverse("registry_import_detail", args=[i.pk]),
                _("uploaded %(when)s") % {"when": _when(i.created_at)},
                urgent=True,
            )
            for i in waiting
        ],
        _("Confirm or cancel"),
        _("No import waits for confirmation."),
    )


def _bank_panel(m, user) -> Panel:
    from ecosystem.financing import workflow
    from ecosystem.financing.models import Lead, Offer
    from ecosystem.financing.selectors import overdue_q

    now = timezone.now()
    end_of_today = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    manager = m.role == Role.BANK_MANAGER
    leads = Lead.objects.filter(bank=m.bank) if manager else Lead.objects.filter(branch=m.branch)
    open_leads = leads.filter(status__in=workflow.OPEN)
    mine = open_leads if manager else open_leads.filter(assigned_to=user)
    tab = "team" if manager else "mine"
    due = list(
        mine.filter(first_contact_at__isnull=True, due_at__lte=end_of_today)
        .select_related("enterprise", "product")
        .order_by("due_at", "pk")[:ITEMS]
    )
    offers = list(
        Offer.objects.filter(lead__in=leads.values("pk"), status=Offer.Status.MADE)
        .select_related("lead__enterprise", "lead__product")
        .order_by("valid_until", "pk")[:ITEMS]
    )
    inbox = "financing_lead_inbox"
    figures = [
        Counter(
            _("Overdue leads"),
            mine.filter(overdue_q(now)).count(),
            _url(inbox, tab=tab, overdue="on"),
            urgent=True,
        ),
        Counter(
            _("Leads due today"),
            mine.filter(
                first_contact_at__isnull=True, due_at__gte=now, due_at__lte=end_of_today
            ).count(),
            _url(inbox, tab=tab),
        ),
        Counter(
            _("Unassigned leads"),
            open_leads.filter(assigned_to__isnull=True).count(),
            _url(inbox, tab="unassigned"),
            urgent=True,
        ),
        Counter(
            _("Offers awaiting the firm's answer"),
            Offer.objects.filter(lead__in=leads.values("pk"), status=Offer.Status.MADE).count(),
            _url(inbox, tab="team", status=Lead.Status.OFFER_MADE),
        ),
    ]
    if not manager:
        figures.insert(2, Counter(_("My open leads"), mine.count(), _url(inbox, tab="mine")))
    else:
        from ecosystem.financing.models import Campaign

        figures.append(
            Counter(
                _("Draft campaigns"),
                Campaign.objects.filter(bank=m.bank, status=Campaign.Status.DRAFT).count(),
                _url("financing_campaigns"),
            )
        )
    items = [
        WorkItem(
            f"{lead.enterprise} · {lead.product}",
            reverse("financing_lead_detail", args=[lead.pk]),
            (_("overdue since %(when)s") if lead.due_at < now else _("due %(when)s"))
            % {"when": _when(lead.due_at)},
            urgent=lead.due_at < now,
        )
        for lead in due
    ]
    items += [
        WorkItem(
            f"{o.lead.enterprise} · {o.lead.product}",
            reverse("financing_lead_detail", args=[o.lead_id]),
            _("offer awaiting the firm's answer until %(when)s") % {"when": _when(o.valid_until)},
        )
        for o in offers
    ]
    return Panel(
        m.role,
        m.get_role_display(),
        str(m.branch or m.bank),
        figures,
        items,
        _("Due today and overdue, then offers out"),
        _("No lead is due today."),
    )


def _admin_panel() -> Panel:
    from ecosystem.accounts.models import Invitation, User
    from ecosystem.core.models import AuditEvent
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.financing.models import Lead
    from ecosystem.financing.selectors import overdue_q
    from ecosystem.zones.models import Zone

    week_ago = timezone.now() - timedelta(days=7)
    return Panel(
        "platform_admin",
        str(_("Platform administrator")),
        "",
        [
            Counter(
                _("Pending invitations"),
                Invitation.objects.filter(status=Invitation.Status.PENDING).count(),
                _url("admin:accounts_invitation_changelist", status="pending"),
                urgent=True,
            ),
            Counter(
                _("Overdue leads"),
                Lead.objects.filter(overdue_q(timezone.now())).count(),
                _url("platform_dashboard"),
                urgent=True,
            ),
            Counter(_("Users"), User.objects.count(), _url("admin:accounts_user_changelist")),
            Counter(_("Enterprises"), Enterprise.objects.count(), _url("platform_dashboard")),
            Counter(_("Zones"), Zone.objects.count(), _url("platform_dashboard")),
            Counter(
                _("Audit events this week"),
                AuditEvent.objects.filter(created_at__gte=week_ago).count(),
                _url("admin:core_auditevent_changelist"),
            ),
        ],
        links=[
            (_("Zone review queue"), _url("zone_queue")),
            (_("Zone dashboard"), _url("zone_dashboard")),
            (_("Bank leads"), _url("financing_lead_inbox", tab="team")),
            (_("Bank products"), _url("financing_products")),
            (_("Bank matches"), _url("financing_bank_matches")),
            (_("Campaigns"), _url("financing_campaigns")),
            (_("Bank dashboard"), _url("financing_bank_dashboard")),
            (_("List imports"), _url("registry_imports")),
            (_("Official lists"), _url("registry_lists")),
        ],
    )


def home_panels(*, user) -> list[Panel]:
    panels: list[Panel] = []
    for m in active_memberships(user):
        if m.role in ENTERPRISE_ROLES:
            panels.append(_enterprise_panel(m))
        elif m.role == Role.ZONE_OFFICIAL:
            panels.append(_zone_panel(m))
        elif m.role == Role.REGISTRY_OFFICER:
            panels.append(_registry_panel(m))
        elif m.role in BANK_ROLES:
            panels.append(_bank_panel(m, user))
    if scope_of(user).is_platform_admin:
        panels.append(_admin_panel())
    return panels
