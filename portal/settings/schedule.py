"""Where each Celery task runs (queues, from the environment) and the periodic work
beat schedules: declared in code, not in the admin (STYLE.md, "Tasks")."""

import os

from celery.schedules import crontab

CELERY_TASK_ROUTES = {
    "ecosystem.core.tasks.*": {
        "queue": os.environ.get("CELERY_NOTIFICATIONS_QUEUE", "notifications")
    },
    "ecosystem.financing.tasks.*": {"queue": os.environ.get("CELERY_MATCHING_QUEUE", "matching")},
    "ecosystem.registries.tasks.run_list_import": {
        "queue": os.environ.get("CELERY_IMPORTS_QUEUE", "imports")
    },
    "ecosystem.registries.tasks.read_list_import": {
        "queue": os.environ.get("CELERY_IMPORTS_QUEUE", "imports")
    },
    "ecosystem.registries.tasks.recount_registered_entries": {
        "queue": os.environ.get("CELERY_IMPORTS_QUEUE", "imports")
    },
    "ecosystem.core.export_jobs.*": {"queue": os.environ.get("CELERY_EXPORTS_QUEUE", "exports")},
}
CELERY_BEAT_SCHEDULE = {
    "expire-claims": {
        "task": "ecosystem.enterprises.tasks.expire_claims",
        "schedule": crontab(hour=0, minute=30),
    },
    "refresh-enterprise-stages": {  # stages that change with the date (enterprises.summary)
        "task": "ecosystem.enterprises.tasks.refresh_enterprise_stages",
        "schedule": crontab(hour=0, minute=5),
    },
    "official-digests": {
        "task": "ecosystem.enterprises.tasks.send_official_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "rematch-all-nightly": {
        "task": "ecosystem.financing.tasks.rematch_all",
        "schedule": crontab(hour=2, minute=0),
    },
    # Daily: the service decides whether a reminder is due and sends one a week at most.
    "calendar-reminders": {
        "task": "ecosystem.core.tasks.send_calendar_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
    "sweep-task-outbox": {"task": "ecosystem.core.tasks.sweep_outbox", "schedule": 60.0},
    "sweep-rematch-markers": {
        "task": "ecosystem.financing.tasks.sweep_rematch_markers",
        "schedule": 60.0,
    },
    "expire-invitations": {
        "task": "ecosystem.accounts.tasks.expire_invitations",
        "schedule": crontab(hour=1, minute=0),
    },
    "expire-offers": {
        "task": "ecosystem.financing.tasks_pipeline.expire_offers",
        "schedule": 900.0,
    },
    "expire-stale-leads": {
        "task": "ecosystem.financing.tasks_pipeline.expire_stale_leads",
        "schedule": crontab(hour=3, minute=0),
    },
    # Nightly: the lead summary tables against a recount (drift is logged as an error).
    "check-lead-summaries": {
        "task": "ecosystem.financing.tasks_pipeline.check_lead_summaries",
        "schedule": crontab(hour=4, minute=0),
    },
    "expire-campaign-invitations": {
        "task": "ecosystem.financing.tasks_pipeline.expire_campaign_invitations",
        "schedule": crontab(minute=5),
    },
    "requeue-stalled-imports": {
        "task": "ecosystem.registries.tasks.requeue_stalled_imports",
        "schedule": 120.0,
    },
    # Hourly: list entries whose ``registered`` flag a concurrent registration and import
    # left wrong (the triggers do not see each other's uncommitted rows).
    "recount-registered-entries": {
        "task": "ecosystem.registries.tasks.recount_registered_entries",
        "schedule": crontab(minute=40),
    },
    "cleanup-export-jobs": {
        "task": "ecosystem.core.export_jobs.cleanup_export_jobs",
        "schedule": crontab(minute=20),
    },
    "escalate-overdue-leads": {
        "task": "ecosystem.financing.tasks_pipeline.escalate_overdue_leads",
        "schedule": 300.0,
    },
}
