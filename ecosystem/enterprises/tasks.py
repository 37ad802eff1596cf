"""Thin Celery wrappers around enterprise services."""

from celery import shared_task

from ecosystem.enterprises import services


@shared_task(name="ecosystem.enterprises.tasks.expire_claims")
def expire_claims() -> int:
    return services.claims_expire()
