"""Response times: escalating overdue leads once."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.services import audit_record
from ecosystem.financing import workflow
from ecosystem.financing.models import Lead, LeadNote
from ecosystem.financing.services.leads.common import (
    bank_managers,
    tell,
)


def leads_escalate_overdue(*, now: datetime | None = None) -> int:
    """Open leads past their due time with no first response: flag each one and tell
    the bank's managers, once. Safe to run twice; returns how many were escalated."""
    now = now or timezone.now()
    candidates = Lead.objects.filter(
        status__in=workflow.OPEN,
        due_at__lt=now,
        first_response_at__isnull=True,
        escalated_at__isnull=True,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(candidates):
        with transaction.atomic():
            current = (
                Lead.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("enterprise", "product", "branch")
                .filter(pk=pk, escalated_at__isnull=True, first_response_at__isnull=True)
                .first()
            )
            if current is None:
                continue
            current.escalated_at = now
            current.save(update_fields=["escalated_at", "updated_at"])
            LeadNote.objects.create(
                lead=current,
                kind=LeadNote.Kind.ESCALATION,
                body=_("No response by %(due)s; escalated to the bank's managers.")
                % {"due": timezone.localtime(current.due_at).strftime("%Y-%m-%d %H:%M")},
            )
            audit_record(
                actor=None,
                verb="lead.escalated",
                target=current,
                after={"due_at": current.due_at.isoformat(), "escalated_at": now.isoformat()},
            )
            tell(
                bank_managers(current),
                kind="lead_overdue",
                title=lambda lead=current: (
                    _("Overdue lead: %(enterprise)s · %(product)s")
                    % {"enterprise": lead.enterprise.name, "product": lead.product.name}
                ),
                body=lambda lead=current: (
                    _("Nobody at %(branch)s has responded since %(due)s.")
                    % {
                        "branch": lead.branch.name,
                        "due": timezone.localtime(lead.due_at).strftime("%Y-%m-%d %H:%M"),
                    }
                ),
            )
            count += 1
    return count
