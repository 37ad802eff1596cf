"""Thin Celery wrappers around matching. Every task is safe to run twice."""

from celery import group, shared_task
from django.db.models import Max, Min

from ecosystem.financing import services
from ecosystem.financing.eligibility.matcher import rematch

CHUNK = 5000


@shared_task(name="ecosystem.financing.tasks.rematch_enterprise")
def rematch_enterprise(enterprise_id: int) -> int:
    return services.rematch_enterprise_now(enterprise_id=enterprise_id)


@shared_task(name="ecosystem.financing.tasks.rematch_product")
def rematch_product(product_id: int) -> int:
    return rematch(product_ids=[product_id])


@shared_task(name="ecosystem.financing.tasks.rematch_range")
def rematch_range(low: int, high: int) -> int:
    return rematch(id_range=(low, high))


@shared_task(name="ecosystem.financing.tasks.rematch_all")
def rematch_all(chunk: int = CHUNK) -> int:
    """Split the full rematch into subtasks by enterprise id range."""
    from ecosystem.enterprises.models import Enterprise

    bounds = Enterprise.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    ranges = [(lo, lo + chunk) for lo in range(bounds["low"], bounds["high"] + 1, chunk)]
    group(rematch_range.s(lo, hi) for lo, hi in ranges).apply_async()
    return len(ranges)


@shared_task(name="ecosystem.financing.tasks.sweep_rematch_markers")
def sweep_rematch_markers() -> int:
    return services.markers_sweep()
