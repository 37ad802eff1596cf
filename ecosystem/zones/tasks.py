"""Thin Celery wrappers around zone services."""

from celery import shared_task

from ecosystem.zones import services


@shared_task(name="ecosystem.zones.tasks.send_official_digests")
def send_official_digests() -> int:
    return services.official_digests_send()
