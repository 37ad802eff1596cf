"""Export job reads: a user sees their own jobs, nobody else's (not even an admin)."""

from __future__ import annotations

from django.db.models import QuerySet

from ecosystem.core.export_jobs.models import ExportJob


def export_jobs_of(*, user) -> QuerySet[ExportJob]:
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(owner=user)
