"""Thin Celery wrappers around core services."""

from celery import shared_task

from ecosystem.core import services

# Registered with the worker through this module (Celery autodiscovers ``<app>.tasks``).
from ecosystem.core.export_jobs.tasks import cleanup_export_jobs, run_export_job  # noqa: F401


@shared_task(name="ecosystem.core.tasks.send_notification_email")
def send_notification_email(notification_id: int) -> int | None:
    notification = services.notification_send_email(notification_id=notification_id)
    return notification.pk if notification else None


@shared_task(name="ecosystem.core.tasks.sweep_outbox")
def sweep_outbox() -> int:
    from ecosystem.core.outbox import outbox_sweep

    return outbox_sweep()


@shared_task(name="ecosystem.core.tasks.send_calendar_reminders")
def send_calendar_reminders() -> int:
    return services.calendar_reminders_send()
