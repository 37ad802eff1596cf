"""A firm shares the detail of its loans with its zone, or stops sharing (``LoanSharing``).
Without it the zone sees the loan book in aggregate only."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from ecosystem.core.services import audit_record
from ecosystem.enterprises.services.common import require_member
from ecosystem.funds.models import LoanSharing


def active_sharing(enterprise) -> LoanSharing | None:
    return LoanSharing.objects.filter(enterprise=enterprise, revoked_at__isnull=True).first()


def loan_sharing_set(*, enterprise, actor, share: bool) -> LoanSharing | None:
    """Share (``share=True``) or stop sharing; idempotent. Members of the firm only."""
    require_member(actor, enterprise)
    with transaction.atomic():
        active = (
            LoanSharing.objects.select_for_update()
            .filter(enterprise=enterprise, revoked_at__isnull=True)
            .first()
        )
        if share:
            if active:
                return active
            try:
                with transaction.atomic():
                    active = LoanSharing.objects.create(
                        enterprise=enterprise, granted_by=actor, granted_at=timezone.now()
                    )
            except IntegrityError:  # granted meanwhile by another member: the same outcome
                return active_sharing(enterprise)
            audit_record(actor=actor, verb="loan_sharing.granted", target=enterprise)
            return active
        if active:
            active.revoked_at = timezone.now()
            active.revoked_by = actor
            active.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(actor=actor, verb="loan_sharing.revoked", target=enterprise)
        return None
