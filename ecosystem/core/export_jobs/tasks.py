"""Thin Celery wrappers around the export job services (queue ``exports``)."""

from celery import shared_task


@shared_task(name="ecosystem.core.export_jobs.run_export_job")
def run_export_job(job_id: int) -> int | None:
    from ecosystem.core.export_jobs.services import export_job_run

    job = export_job_run(job_id=job_id)
    return job.pk if job else None


@shared_task(name="ecosystem.core.export_jobs.cleanup_export_jobs")
def cleanup_export_jobs() -> int:
    from ecosystem.core.export_jobs.services import export_jobs_cleanup

    return export_jobs_cleanup()
