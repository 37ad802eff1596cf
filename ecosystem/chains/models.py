"""Industrial chains: a tree of nodes per chain, the enterprises on each node, the chain
leaders a zone designates, and the supplier links a leader confirms."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ecosystem.core.i18n import BilingualNameMixin

PATH_SEPARATOR = "/"


class Segment(models.TextChoices):
    UPSTREAM = "upstream", _("upstream")
    MIDSTREAM = "midstream", _("midstream")
    DOWNSTREAM = "downstream", _("downstream")


class Chain(BilingualNameMixin):
    """An industrial chain as a zone plans it (e.g. integrated circuits)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("chains:chain_detail", args=[self.code])


class ChainNode(BilingualNameMixin):
    """One node of a chain's tree. ``path`` is the chain code and the codes of the node's
    ancestors and itself joined by "/" (``ic/design/eda``): a product criterion naming a
    path covers the node and everything under it."""

    chain = models.ForeignKey(
        Chain, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("chain")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent node"),
    )
    code = models.SlugField(_("code"), max_length=32)
    path = models.CharField(_("path"), max_length=200, unique=True, editable=False)
    segment = models.CharField(_("segment"), max_length=16, choices=Segment.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["chain", "position", "path"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "code"], name="chain_node_code_unique")
        ]
        verbose_name = _("chain node")
        verbose_name_plural = _("chain nodes")

    def __str__(self) -> str:
        return f"{self.chain.name} · {self.name}"

    def save(self, *args, **kwargs):
        # The path is derived data of the tree, kept in step with the parent on save.
        prefix = self.parent.path if self.parent_id else self.chain.code
        self.path = f"{prefix}{PATH_SEPARATOR}{self.code}"
        super().save(*args, **kwargs)


class EnterpriseNode(models.Model):
    """An enterprise sits on a node. The enterprise chooses; a zone official may correct."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="chain_nodes",
        verbose_name=_("enterprise"),
    )
    node = models.ForeignKey(
        ChainNode, on_delete=models.PROTECT, related_name="placements", verbose_name=_("node")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        ordering = ["node__path"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "node"], name="enterprise_node_unique")
        ]
        verbose_name = _("enterprise on a chain node")
        verbose_name_plural = _("enterprises on chain nodes")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.node}"


class ChainLeader(models.Model):
    """An enterprise a zone official designated to lead a chain ("链主")."""

    chain = models.ForeignKey(
        Chain, on_delete=models.PROTECT, related_name="leaders", verbose_name=_("chain")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="chain_leaderships",
        verbose_name=_("enterprise"),
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("designated by"),
    )
    designated_at = models.DateTimeField(_("designated at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ended by"),
    )

    class Meta:
        ordering = ["chain", "-designated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "enterprise"],
                condition=models.Q(ended_at__isnull=True),
                name="chain_leader_one_active",
            )
        ]
        verbose_name = _("chain leader")
        verbose_name_plural = _("chain leaders")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.chain}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class SupplierLink(models.Model):
    """A supplier of a chain leader. Either side starts it; only a confirmed link counts
    (for the chain view and for supply-chain finance). See ``workflow.TRANSITIONS``."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("asked by the supplier")
        INVITED = "invited", _("invited by the leader")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "withdrawn")
        ENDED = "ended", _("ended")

    OPEN_STATUSES = ("requested", "invited", "confirmed")

    leader = models.ForeignKey(
        ChainLeader, on_delete=models.CASCADE, related_name="links", verbose_name=_("chain leader")
    )
    supplier = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="supplier_links",
        verbose_name=_("supplier"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "supplier"],
                condition=models.Q(status__in=("requested", "invited", "confirmed")),
                name="supplier_link_one_open",
            )
        ]
        verbose_name = _("supplier link")
        verbose_name_plural = _("supplier links")

    def __str__(self) -> str:
        return f"{self.supplier} → {self.leader.enterprise}"
