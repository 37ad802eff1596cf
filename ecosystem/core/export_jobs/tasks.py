"""Thin Celery wrappers around the export job services (queue ``exports``)."""

from celery import shared_task

#: A national export (1.5 million matches) runs for many minutes: longer than the default
#: limits, and still under the Redis broker's one-hour visibility timeout, past which an
#: unacknowledged task would be delivered to a second worker.
SOFT_TIME_LIMIT = 50 * 60
TIME_LIMIT = 55 * 60


@shared_task(
    name="ecosystem.core.export_jobs.run_export_job",
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def run_export_job(job_id: int) -> int | None:
    from ecosystem.core.export_jobs.services import export_job_run

    job = export_job_run(job_id=job_id)
    return job.pk if job else None


@shared_task(name="ecosystem.core.export_jobs.cleanup_export_jobs")
def cleanup_export_jobs() -> int:
    from ecosystem.core.export_jobs.services import export_jobs_cleanup

    return export_jobs_cleanup()
