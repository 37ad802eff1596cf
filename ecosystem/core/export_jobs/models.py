"""The export job: one table written to the private storage by a worker for its owner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecosystem.core.storage import private_storage


class ExportJob(models.Model):
    """A whole-scope export the worker writes; only its owner may read it, until it expires.

    ``filters`` are what the list page was filtered by (ids and plain values), read again
    by the kind's builder with the owner's scope when the job runs. ``attempt`` counts the
    runs that claimed the job: a run only finishes the job if no later run took it over
    (a redelivered task after a lost worker), so running the task twice is harmless."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")

    class Failure(models.TextChoices):
        NO_ACCESS = "no_access", _("You no longer have access to this data.")
        ERROR = "error", _("The export could not be written. Please try again.")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("export"), max_length=64)
    fmt = models.CharField(_("format"), max_length=8, default="csv")
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    failure = models.CharField(_("failure"), max_length=16, choices=Failure.choices, blank=True)
    attempt = models.PositiveIntegerField(_("runs"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(
        _("file"), upload_to="exports/", storage=private_storage, max_length=200, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="export_job_owner"),
            models.Index(
                fields=["expires_at"],
                name="export_job_expiring",
                condition=models.Q(status="done"),
            ),
        ]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("export_job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
