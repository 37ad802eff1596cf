"""Users (email login), scoped role memberships and staff invitations."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.roles import Role, scope_check


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login; roles come only from memberships."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    digest_enabled = models.BooleanField(
        _("daily digest email"),
        default=True,
        help_text=_("Staff: a daily summary of new items in your queue."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Platform administrators only. Portal roles come from memberships."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Membership(models.Model):
    """A user's role, bound to the scope the role requires (see ``roles.ROLE_SCOPE``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("enterprise"),
    )
    zone = models.ForeignKey(
        "zones.Zone",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("zone"),
    )
    program = models.ForeignKey(
        "registries.Program",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("program"),
    )
    bank = models.ForeignKey(
        "financing.Bank",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("bank"),
    )
    branch = models.ForeignKey(
        "financing.Branch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("branch"),
    )
    scheme = models.ForeignKey(
        "funds.Scheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("policy fund scheme"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=scope_check(), name="membership_scope_matches_role"),
            models.UniqueConstraint(
                fields=["user", "scheme"],
                condition=models.Q(role=Role.FUND_MANAGER),
                name="membership_unique_fund_manager",
            ),
            models.UniqueConstraint(
                fields=["user", "enterprise"],
                condition=models.Q(enterprise__isnull=False),
                name="membership_unique_enterprise",
            ),
            models.UniqueConstraint(
                fields=["user", "zone"],
                condition=models.Q(role=Role.ZONE_OFFICIAL),
                name="membership_unique_zone",
            ),
            models.UniqueConstraint(
                fields=["user", "program"],
                condition=models.Q(role=Role.REGISTRY_OFFICER),
                name="membership_unique_program",
            ),
            models.UniqueConstraint(
                fields=["user", "branch"],
                condition=models.Q(role=Role.BANK_RM),
                name="membership_unique_branch",
            ),
            models.UniqueConstraint(
                fields=["user", "bank"],
                condition=models.Q(role=Role.BANK_MANAGER),
                name="membership_unique_bank_manager",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self):
        return (
            self.enterprise or self.zone or self.program or self.branch or self.bank or self.scheme
        )


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A platform admin's invitation to a staff role; the link lets the invitee set a password."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("enterprise"),
    )
    zone = models.ForeignKey(
        "zones.Zone", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("zone")
    )
    program = models.ForeignKey(
        "registries.Program",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("program"),
    )
    bank = models.ForeignKey(
        "financing.Bank", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("bank")
    )
    branch = models.ForeignKey(
        "financing.Branch",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("branch"),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    #: The language the invitation email leads with (the inviter's); the other follows.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    #: Set when the email went out, in the same transaction: a second delivery of the
    #: sending task (the outbox delivers at least once) sends nothing.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"

    @property
    def scope(self):
        return self.enterprise or self.zone or self.program or self.branch or self.bank

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


def token_digest(key: str) -> str:
    """What is stored of an API key: its SHA-256 (hex). A key is 256 random bits, so a fast
    hash is enough (no password stretching needed) and a look-up is one indexed query."""
    return hashlib.sha256(key.encode()).hexdigest()


class StaffToken(models.Model):
    """A staff member's named API token: read-only, or an integration limited to one bank's
    lead feed; it expires, records when it was last used, and is stored only as a digest
    (the key is shown once, at creation). See ``accounts.tokens``."""

    class Kind(models.TextChoices):
        READ_ONLY = "read_only", _("Read-only")
        LEAD_FEED = "lead_feed", _("Integration: a bank's lead feed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("scope"), max_length=16, choices=Kind.choices)
    bank = models.ForeignKey(
        "financing.Bank",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("bank"),
    )
    #: The key's first characters, to tell tokens apart on the page; never enough to use.
    prefix = models.CharField(_("begins with"), max_length=12)
    #: SHA-256 of the key (hex). The key itself is never stored.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="read_only", bank__isnull=True)
                | models.Q(kind="lead_feed", bank__isnull=False),
                name="staff_token_bank_only_for_lead_feed",
            )
        ]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
