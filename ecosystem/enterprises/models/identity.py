"""Who stands behind a credit code: the registrant's identity documents and decisions,
disputes over a code, and names flagged as registered under another code."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.storage import private_storage
from ecosystem.enterprises.workflow import DisputeStatus, IdentitySource, IdentityStatus


def identity_document_path(instance, filename: str) -> str:
    """A random name: nothing of the uploaded file name reaches the disk."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"identity/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class IdentityCheck(models.Model):
    """One submission of identity documents (or a bank's confirmation) and its decision.
    The enterprise's ``identity_status`` is the outcome of the latest one."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="identity_checks",
        verbose_name=_("enterprise"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=IdentityStatus.choices, db_index=True
    )
    source = models.CharField(
        _("confirmed by"), max_length=16, choices=IdentitySource.choices, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    bank = models.ForeignKey(
        "financing.Bank",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirming bank"),
    )
    reason_code = models.CharField(_("reason code"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("identity check")
        verbose_name_plural = _("identity checks")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_status_display()}"

    @property
    def reason_label(self) -> str:
        from ecosystem.enterprises.workflow import IdentityRefusal

        return IdentityRefusal(self.reason_code).label if self.reason_code else ""


class Dispute(models.Model):
    """A company finds its credit code registered by someone else and asks the zone for it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="disputes",
        verbose_name=_("enterprise record"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="identity_disputes",
        verbose_name=_("filed by"),
    )
    #: The company's name as its business licence reads.
    claimed_name = models.CharField(_("company name on the business licence"), max_length=200)
    message = models.TextField(_("message to the zone"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DisputeStatus.choices,
        default=DisputeStatus.FILED,
        db_index=True,
    )
    #: Who held the record when the dispute was filed (kept for the story).
    holder_name = models.CharField(_("name registered by the holder"), max_length=200)
    reason_code = models.CharField(_("reason code"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "filed_by"],
                condition=models.Q(status="filed"),
                name="dispute_one_open_per_filer",
            )
        ]
        verbose_name = _("identity dispute")
        verbose_name_plural = _("identity disputes")

    def __str__(self) -> str:
        return f"{self.claimed_name} ↔ {self.enterprise}"

    @property
    def reason_label(self) -> str:
        from ecosystem.enterprises.workflow import DisputeDismissal

        return DisputeDismissal(self.reason_code).label if self.reason_code else ""


class IdentityDocument(models.Model):
    """A business licence or letter of authorisation, for an identity check or a dispute."""

    class Purpose(models.TextChoices):
        LICENCE = "licence", _("business licence (营业执照)")
        LETTER = "letter", _("letter of authorisation with the company seal (授权委托书)")

    check_for = models.ForeignKey(
        IdentityCheck,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("identity check"),
    )
    dispute = models.ForeignKey(
        Dispute,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("dispute"),
    )
    purpose = models.CharField(_("document"), max_length=16, choices=Purpose.choices)
    file = models.FileField(
        _("file"), upload_to=identity_document_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["purpose", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(check_for__isnull=False) ^ models.Q(dispute__isnull=False),
                name="identity_document_one_owner",
            )
        ]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[self.kind]


class NameFlag(models.Model):
    """An enterprise registered under a name another code already carries: the zone looks."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="name_flags",
        verbose_name=_("enterprise"),
    )
    other = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("already registered as"),
    )
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "other"],
                condition=models.Q(cleared_at__isnull=True),
                name="name_flag_one_open",
            )
        ]
        verbose_name = _("name flag")
        verbose_name_plural = _("name flags")

    def __str__(self) -> str:
        return f"{self.enterprise} ≈ {self.other}"
