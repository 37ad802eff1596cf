"""Rematching: an enterprise whose matchable data changed is rematched after commit
(through the outbox); markers record what awaits a rematch, for the sweeper."""

from __future__ import annotations

from django.db import transaction

from ecosystem.financing.models import RematchMarker


def enterprise_changed(*, enterprise_id: int) -> None:
    """Subscriber of ``enterprise.changed`` (``core.events``), in the transaction of any
    change to an enterprise's matchable data.

    The rematch task goes through the outbox like every after-commit task. The marker,
    committed with the change, says the enterprise awaits a rematch: the task clears it,
    and the sweeper rematches what a lost or failed task left marked.
    """
    from ecosystem.core.outbox import send_after_commit
    from ecosystem.financing.tasks import rematch_enterprise

    RematchMarker.objects.update_or_create(enterprise_id=enterprise_id)
    send_after_commit(rematch_enterprise, enterprise_id)


def rematch_enterprise_now(*, enterprise_id: int) -> int:
    from ecosystem.financing.eligibility.matcher import rematch

    # The marker is read before the facts and deleted with the matches' writes, unless a
    # change since wrote a newer one (``eligibility.firm_write``).
    with transaction.atomic():
        return rematch(enterprise_ids=[enterprise_id], clear_markers=True)


def markers_sweep(*, older_than_seconds: int = 60, limit: int = 1000) -> int:
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        RematchMarker.objects.filter(created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("enterprise_id", flat=True)[:limit]
    )
    for enterprise_id in ids:
        rematch_enterprise_now(enterprise_id=enterprise_id)
    return len(ids)
