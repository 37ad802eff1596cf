"""The enterprise, requests to join it, and a sign-up wizard's saved progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.uscc import validate_uscc
from ecosystem.enterprises.workflow import IdentitySource, IdentityStatus


class Enterprise(models.Model):
    """One registered enterprise, identified by its unified social credit code (USCC)."""

    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=200)
    #: ``registries.names.name_key`` and ``near_key`` of the name: how a list without
    #: credit codes finds the firm (kept by ``save``).
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    near_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("zone")
    )
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    industry = models.ForeignKey(
        "enterprises.IndustryDivision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("industry (GB/T 4754 division)"),
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    #: Whether the registrant is confirmed to act for the company (``identity`` services):
    #: until then no claim is verified and every page says "identity unconfirmed".
    identity_status = models.CharField(
        _("identity"),
        max_length=16,
        choices=IdentityStatus.choices,
        default=IdentityStatus.UNCONFIRMED,
        db_index=True,
    )
    identity_source = models.CharField(
        _("identity confirmed by"), max_length=16, choices=IdentitySource.choices, blank=True
    )
    identity_confirmed_at = models.DateTimeField(_("identity confirmed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        # Lists in name order (``pk`` breaks ties) read a page from here, not a sort of
        # every enterprise (the API's and the Django admin's lists, docs/slow-pages.md).
        indexes = [
            models.Index(fields=["name", "id"], name="enterprise_name_order"),
            # A zone's enterprise ids without reading the table (20,000 rows nationally:
            # a relationship manager's branch firms, ``permissions.bank_sees_q``).
            models.Index(fields=["zone", "id"], name="enterprise_zone_ids"),
            # A zone's enterprises without reading the table (index-only): the zone
            # dashboards join them to claims and leads, and count them by industry.
            models.Index(fields=["zone", "industry"], include=["id"], name="enterprise_zone"),
            # A zone's enterprises in name order: an official's page of a chain node's
            # enterprises reads its zone's in order, not every enterprise's by name.
            models.Index(fields=["zone", "name", "id"], name="enterprise_zone_name_order"),
            # An enterprise's zone by its id without reading the table: the dashboards group
            # leads and claims by their firm's zone (a probe per lead, index-only).
            models.Index(fields=["id"], include=["zone"], name="enterprise_id_zone"),
        ]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from ecosystem.registries.names import name_key, near_key

        self.name_key, self.near_key = name_key(self.name), near_key(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = [*fields, "name_key", "near_key"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enterprise_detail", args=[self.pk])

    @property
    def identity_confirmed(self) -> bool:
        return self.identity_status == IdentityStatus.CONFIRMED


class JoinRequest(models.Model):
    """Someone asks to join an enterprise already registered; an owner decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("cancelled")

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("enterprise"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("requested by"),
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "user"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending",
            )
        ]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise}"


class OnboardingDraft(models.Model):
    """What a user typed into the registration wizard so far, kept across browser sessions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboarding_draft"
    )
    step = models.CharField(max_length=32, default="code")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration draft")
        verbose_name_plural = _("registration drafts")

    def __str__(self) -> str:
        return f"{self.user} · {self.step}"
