"""Shared models: the append-only audit trail and in-app notifications."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("audit events are append-only")

    def delete(self):
        raise AuditImmutableError("audit events are append-only")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditImmutableError("audit events are append-only")

    def update_or_create(self, *args, **kwargs):
        raise AuditImmutableError("audit events are append-only")


class AuditEvent(models.Model):
    """Who did what to which object, with the state before and after.

    Append-only: the ORM refuses updates and deletes, the admin is read-only, and a
    database trigger (see migration 0002) refuses UPDATE (and DELETE on PostgreSQL).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    verb = models.CharField(_("verb"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target type"),
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events are append-only")


class Notification(models.Model):
    """A message to one user, shown in the portal and sent by email after commit."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    #: The title and body as message keys and arguments (``core.notices``), rendered in
    #: the reader's language; ``title``/``body`` keep the text as first written (the
    #: email, and rows stored before keys existed).
    message = models.JSONField(_("message key and arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        """The title in the active language (the stored text for a row without a key)."""
        from ecosystem.core.notices import render

        return render((self.message or {}).get("title")) or self.title

    @property
    def shown_body(self) -> str:
        from ecosystem.core.notices import render

        return render((self.message or {}).get("body")) or self.body


class OutboxTask(models.Model):
    """A Celery task asked for by a committed change and not yet handed to the broker.

    The row commits with the change; a successful send deletes it. What a broker outage
    leaves behind, the beat sweeper sends later (tasks are safe to run twice), so no work
    is lost while Redis is down.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("failed sends"), default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class CalendarDay(models.Model):
    """An official change to the Monday–Friday working week: a public holiday on a weekday
    (not working) or a weekend day worked in exchange (调休, working). Working-day counts
    (review targets, ageing) follow these; platform admins keep them per the State
    Council's yearly notice."""

    day = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=32)
    name_en = models.CharField(_("name (English)"), max_length=64, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.day} {self.name_zh}"


# The export jobs keep their model in their own package; Django finds it through here.
from ecosystem.core.export_jobs.models import ExportJob  # noqa: E402, F401
