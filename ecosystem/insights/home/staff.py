"""The home panels of bank staff and the platform administrator."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.roles import Role
from ecosystem.insights.home.common import ITEMS, Counter, Panel, WorkItem, _url, _when


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
    # Offers awaiting an answer: those of leads at "offer made" (a withdrawn or declined
    # lead's offer runs out unanswerable), counted as the leads the counter links to.
    awaiting = leads.filter(status=Lead.Status.OFFER_MADE)
    offers = list(
        Offer.objects.filter(lead__in=awaiting.values("pk"), status=Offer.Status.MADE)
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
            awaiting.count(),
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
