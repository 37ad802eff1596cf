"""Qualification claims, their evidence files and the revisions kept on each submission."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ecosystem.core.storage import private_storage
from ecosystem.enterprises.workflow import ClaimStatus


class QualificationClaim(models.Model):
    """An enterprise's claim to be on a program's official list."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=_("enterprise"),
    )
    program = models.ForeignKey(
        "registries.Program",
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("program"),
    )
    certificate_number = models.CharField(_("certificate or registration number"), max_length=64)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ClaimStatus.choices,
        default=ClaimStatus.DRAFT,
        db_index=True,
    )
    reason_code = models.CharField(_("reason code"), max_length=32, blank=True)
    reason_text = models.TextField(_("reason"), blank=True)
    registry_entry = models.ForeignKey(
        "registries.RegistryEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verified_claims",
        verbose_name=_("verified by registry entry"),
        db_index=False,  # ``claim_list_entry`` below: the claims that cite an entry only
    )
    #: Set when the official list has the firm's code for this program but its name (or
    #: certificate number) disagrees: both sides, for the zone official to compare.
    list_mismatch = models.JSONField(
        _("disagreement with the official list"), default=dict, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["program", "status"]),
            # The default order with its tie-break, for whole-table lists (the admin's).
            models.Index(fields=["-created_at", "-id"], name="claim_created_order"),
            # The review queue's order (``review.queue``): claims awaiting a decision by
            # the time they wait since, so a page reads its rows only.
            models.Index(
                Coalesce("submitted_at", "created_at"),
                "id",
                name="claim_awaiting_queue",
                condition=models.Q(
                    status__in=[
                        ClaimStatus.SUBMITTED,
                        ClaimStatus.UNDER_REVIEW,
                        ClaimStatus.RESUBMITTED,
                    ]
                ),
            ),
            # The zone dashboards (``insights.zone``): a zone's claims awaiting a decision
            # and their waiting day, its verified claims by program, the claims decided
            # this week, each read from an index joined to the zone's enterprises.
            models.Index(
                fields=["enterprise"],
                name="claim_awaiting_enterprise",
                include=["submitted_at", "created_at", "id"],
                condition=models.Q(
                    status__in=[
                        ClaimStatus.SUBMITTED,
                        ClaimStatus.UNDER_REVIEW,
                        ClaimStatus.RESUBMITTED,
                    ]
                ),
            ),
            models.Index(
                fields=["enterprise", "program"],
                name="claim_verified_enterprise",
                condition=models.Q(status=ClaimStatus.VERIFIED),
            ),
            # A list's claims (``insights.reconciliation``): those citing an entry of the
            # list, by status. Most claims cite none (drafts, claims decided by an
            # official), so the index holds the list-decided ones only, and a list's
            # claims are read from it instead of from every claim (docs/performance.md,
            # "Session 10"). It also serves look-ups by entry (withdrawals, deletion).
            models.Index(
                fields=["registry_entry", "status"],
                name="claim_list_entry",
                include=["enterprise"],
                condition=models.Q(registry_entry__isnull=False),
            ),
            models.Index(
                fields=["decided_at"],
                name="claim_decided",
                include=["enterprise"],
                condition=models.Q(decided_by__isnull=False),
            ),
        ]
        verbose_name = _("qualification claim")
        verbose_name_plural = _("qualification claims")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.program} · {self.certificate_number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("claim_detail", args=[self.enterprise_id, self.pk])


def evidence_path(instance, filename: str) -> str:
    """A random name: nothing of the uploaded file name reaches the disk."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"evidence/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    claim = models.ForeignKey(
        QualificationClaim,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("claim"),
    )
    file = models.FileField(
        _("file"), upload_to=evidence_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
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
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[self.kind]


class ClaimRevision(models.Model):
    """A snapshot of the claim each time it is submitted or resubmitted."""

    claim = models.ForeignKey(
        QualificationClaim,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("claim"),
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    data = models.JSONField(_("data"))
    message = models.TextField(_("message to the reviewer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["claim", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="claim_revision_unique")
        ]
        verbose_name = _("claim revision")
        verbose_name_plural = _("claim revisions")

    def __str__(self) -> str:
        return f"{self.claim} r{self.number}"
