"""Nothing waits for ever: offers past their date, leads with no progress for weeks and
campaign invitations nobody answered expire, and both sides hear about it.

Each function is safe to run twice (a beat task calls it): rows are re-checked under a
row lock and skipped when something else already moved them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ecosystem.core.notices import bilingual, msg
from ecosystem.financing import workflow
from ecosystem.financing.models import CampaignInvitation, Lead, Offer
from ecosystem.financing.services.leads.common import (
    apply_move,
    bank_lead_url,
    bank_managers,
    check_move,
    notify_enterprise,
    tell,
)
from ecosystem.financing.summary import summary_snapshot, summary_sync

S = Lead.Status

#: Leads in these states expire after ``LEAD_STALE_DAYS`` without any change. A lead
#: with an offer waits for the offer's own date instead.
STALE_STATUSES = (S.NEW, S.ASSIGNED, S.CONTACTED)


def _bank_side(lead: Lead) -> list:
    return [lead.assigned_to] if lead.assigned_to_id else bank_managers(lead)


def offers_expire(*, now: datetime | None = None) -> int:
    """Offers still awaiting an answer past ``valid_until`` expire; their lead goes back to
    ``contacted`` so the bank can make a new offer. Returns how many expired."""
    now = now or timezone.now()
    due = Offer.objects.filter(status=Offer.Status.MADE, valid_until__lte=now)
    count = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            offer = (
                Offer.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=pk, status=Offer.Status.MADE, valid_until__lte=now)
                .select_related("lead__enterprise", "lead__product", "lead__assigned_to")
                .first()
            )
            if offer is None:
                continue
            lead = Lead.objects.select_for_update(of=("self",)).get(pk=offer.lead_id)
            summary_snapshot(lead)
            offer.status = Offer.Status.EXPIRED
            offer.save(update_fields=["status"])
            if lead.status == S.OFFER_MADE:
                check_move(lead, S.CONTACTED, workflow.SYSTEM, None)
                apply_move(
                    lead,
                    S.CONTACTED,
                    actor=None,
                    party=workflow.SYSTEM,
                    note=_("The offer expired without an answer."),
                    audit={"offer": offer.pk, "offer_status": Offer.Status.EXPIRED},
                )
            else:  # the lead stays; the yuan offered to its enterprise drops (summary)
                summary_sync(lead)
            when = timezone.localtime(offer.valid_until).strftime("%Y-%m-%d %H:%M")
            notify_enterprise(
                offer.lead,
                body=msg(
                    gettext_noop(
                        "The offer was valid until %(when)s and has expired. "
                        "The bank may make a new one."
                    ),
                    when=when,
                ),
            )
            tell(
                _bank_side(offer.lead),
                kind="offer_expired",
                title=msg(
                    gettext_noop("Offer expired: %(enterprise)s · %(product)s"),
                    enterprise=offer.lead.enterprise.name,
                    product=bilingual(offer.lead.product),
                ),
                url=bank_lead_url(offer.lead),
            )
            count += 1
    return count


def leads_expire_stale(*, now: datetime | None = None, days: int | None = None) -> int:
    """Open leads without any change for ``days`` (``LEAD_STALE_DAYS``, default 30)
    expire, so no request waits in silence. Returns how many expired."""
    now = now or timezone.now()
    days = days if days is not None else settings.LEAD_STALE_DAYS
    cutoff = now - timedelta(days=days)
    stale = Lead.objects.filter(status__in=STALE_STATUSES, updated_at__lt=cutoff)
    count = 0
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            lead = (
                Lead.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=pk, status__in=STALE_STATUSES, updated_at__lt=cutoff)
                .select_related("enterprise", "product", "branch", "assigned_to")
                .first()
            )
            if lead is None:
                continue
            summary_snapshot(lead)
            check_move(lead, S.EXPIRED, workflow.SYSTEM, None)
            apply_move(
                lead,
                S.EXPIRED,
                actor=None,
                party=workflow.SYSTEM,
                note=_("No progress for %(days)s days.") % {"days": days},
                audit={"stale_days": days},
            )
            notify_enterprise(
                lead,
                body=msg(
                    gettext_noop(
                        "The bank did not move your request forward for %(days)s days, so it "
                        "has expired. You can apply again from your matches."
                    ),
                    days=days,
                ),
            )
            tell(
                _bank_side(lead),
                kind="lead_expired",
                title=msg(
                    gettext_noop(
                        "Lead expired after %(days)s days without progress: %(enterprise)s"
                    ),
                    days=days,
                    enterprise=lead.enterprise.name,
                ),
                url=bank_lead_url(lead),
            )
            count += 1
    return count


def campaign_invitations_expire(*, now: datetime | None = None) -> int:
    """Invitations past their answer date are marked expired (they were already refused
    once the date passed; this makes the lists and counts say so)."""
    now = now or timezone.now()
    return CampaignInvitation.objects.filter(
        status=CampaignInvitation.Status.SENT, expires_at__lte=now
    ).update(status=CampaignInvitation.Status.EXPIRED)
