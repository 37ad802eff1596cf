"""The home panels of the enterprise side, the zone official and the registry officer."""

from __future__ import annotations

from django.db import connection
from django.db.models import Func, IntegerField
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


class _FirstOf(Func):
    """The first ``n`` elements of an array (PostgreSQL's slice)."""

    template = "(%(expressions)s)[1:%(n)d]"


def _first_ids(n: int, **filters) -> dict:
    """``<name>_ids``: the first ``n`` claim ids in the order the panel lists them
    (waiting since, then id), among the rows ``filters[name]`` keeps (None: all), as
    aggregates of the counting query: on PostgreSQL, an array sliced in SQL. Read with
    ``ORDER BY … LIMIT`` instead, PostgreSQL sorted every waiting claim of every zone and
    probed each one's zone until it had five (0.25–0.33 s at national size). Elsewhere
    none (``_zone_panel`` then reads the lines with a LIMIT)."""
    if connection.vendor != "postgresql":
        return {}
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.contrib.postgres.fields import ArrayField

    return {
        f"{name}_ids": _FirstOf(
            ArrayAgg("pk", filter=q, order_by=("submitted_at", "pk")),
            n=n,
            output_field=ArrayField(IntegerField()),
        )
        for name, q in filters.items()
    }


def _zone_panel(m) -> Panel:
    """Counts in SQL, and only the claims shown read: a zone's claims awaiting review
    number thousands at national size, and reading each to work out its age took most of
    the page (docs/performance.md, "Session 10"). A claim is past the target when it
    waited since before ``aged_since(today, target + 1)``, the same working days as
    ``working_days_between`` counts per claim."""
    from django.db.models import Count, Q
    from django.db.models.functions import Coalesce

    from ecosystem.core.workdays import calendar_overrides, working_days_between
    from ecosystem.enterprises.models import Enterprise, FinancialYear, QualificationClaim
    from ecosystem.enterprises.review.queue import aged_since
    from ecosystem.enterprises.workflow import AWAITING_DECISION
    from ecosystem.financing.models import Lead
    from ecosystem.financing.selectors import overdue_q

    zone = m.zone
    today = timezone.localdate()
    overrides = calendar_overrides()
    target = zone.review_target_days
    waiting = QualificationClaim.objects.filter(
        enterprise__zone=zone, status__in=AWAITING_DECISION
    ).alias(waiting_since=Coalesce("submitted_at", "created_at"))
    late = Q(waiting_since__lt=aged_since(today, target + 1))
    counts = waiting.aggregate(
        waiting=Count("pk"),
        late=Count("pk", filter=late),
        **_first_ids(ITEMS, waiting=None, late=late),
    )
    listed = waiting.filter(late) if counts["late"] else waiting
    shown_claims = (
        listed.select_related("enterprise", "program")
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
    if "late_ids" in counts:  # PostgreSQL: the lines by id, found by the count
        ids = (counts["late_ids"] if counts["late"] else counts["waiting_ids"]) or []
        shown_claims = sorted(
            QualificationClaim.objects.filter(pk__in=ids)
            .select_related("enterprise", "program")
            .only(*shown_claims.query.deferred_loading[0]),
            key=lambda claim: ids.index(claim.pk),
        )
    else:
        shown_claims = list(shown_claims[:ITEMS])

    def age(claim) -> int:
        since = claim.submitted_at or claim.created_at
        return working_days_between(timezone.localtime(since).date(), today, overrides)

    shown = [(claim, age(claim)) for claim in shown_claims]
    years = FinancialYear.objects.filter(
        enterprise__zone=zone, verification_status="unverified"
    ).count()
    overdue_leads = Lead.objects.filter(overdue_q(timezone.now()), enterprise__zone=zone).count()
    return Panel(
        m.role,
        m.get_role_display(),
        str(zone),
        [
            Counter(
                _("Claims past the review target"),
                counts["late"],
                _url("zone_queue", kind="claim", min_age=target + 1),
                urgent=True,
            ),
            Counter(
                _("Claims waiting for review"), counts["waiting"], _url("zone_queue", kind="claim")
            ),
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
        _("Past the target first, then the oldest") if counts["late"] else _("Oldest first"),
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
