"""The home panels of the enterprise side, the zone official and the registry officer."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.scope import members_of_enterprise
from ecosystem.insights.home.common import ITEMS, Counter, Panel, WorkItem, _url, _when


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
