"""Leads (an enterprise asked for a product, or accepted an invitation) and the bank's
pre-approval campaigns with their invitations."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.enterprises.models import FinancingNeed
from ecosystem.financing import workflow
from ecosystem.financing.models.products import Bank, Branch, Product, ProductVersion

#: The need's choices, read from the enterprise's model so that the two never drift.
NEED_PURPOSES = FinancingNeed.Purpose.choices
NEED_COLLATERAL = FinancingNeed.Collateral.choices


class Lead(models.Model):
    """A request for a product, routed to the branch serving the enterprise's zone.

    It keeps the product version and the indicative limit it was made from: editing the
    product later changes neither. The pipeline beyond ``new`` belongs to the Leads issue.
    """

    #: Its states and their moves are ``workflow``'s.
    Status = workflow.LeadStatus

    class Source(models.TextChoices):
        APPLY = "apply", _("applied from a match")
        CAMPAIGN = "campaign", _("accepted a campaign invitation")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="leads",
        verbose_name=_("enterprise"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="leads", verbose_name=_("product")
    )
    product_version = models.ForeignKey(
        ProductVersion,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name=_("product version"),
    )
    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="leads", verbose_name=_("bank")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="leads", verbose_name=_("branch")
    )
    #: The enterprise's zone, kept on the lead: set at creation (``lead_open_or_create``)
    #: and moved with the firm (``summary.summary_zone_moved``, in the move's
    #: transaction), so the dashboards group and filter the leads by zone without joining
    #: the firms (``insights.ahead``). ``summary_recount.summaries_drift`` reports a lead
    #: whose zone is not its firm's; ``summaries_rebuild`` repairs it. No index of its own:
    #: no query reads the leads by zone alone (the due-time index below includes it), and
    #: deleting a zone, which reads its leads for ``PROTECT``, is rare.
    zone = models.ForeignKey(
        "zones.Zone",
        on_delete=models.PROTECT,
        related_name="leads",
        db_index=False,
        verbose_name=_("zone"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    invitation = models.ForeignKey(
        "financing.CampaignInvitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        verbose_name=_("invitation"),
    )
    indicative_limit = models.DecimalField(
        _("indicative limit (yuan)"), max_digits=15, decimal_places=2
    )
    #: The financing need the enterprise chose (or wrote) when it applied. Its terms are
    #: copied below as they were then: closing or editing the need later changes neither.
    need = models.ForeignKey(
        "enterprises.FinancingNeed",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        verbose_name=_("financing need"),
    )
    need_amount = models.DecimalField(
        _("amount asked (yuan)"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    need_term_months = models.PositiveSmallIntegerField(
        _("term asked (months)"), null=True, blank=True
    )
    need_purpose = models.CharField(_("purpose"), max_length=32, choices=NEED_PURPOSES, blank=True)
    need_collateral = models.CharField(
        _("collateral offered"), max_length=16, choices=NEED_COLLATERAL, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_leads",
        verbose_name=_("relationship manager"),
    )
    #: The first-contact clock (``due_at`` is kept equal to ``first_contact_due_at``: the
    #: inbox orders and flags by it). Both due times are set once, at creation, from the
    #: product version's targets in working time.
    due_at = models.DateTimeField(_("response due"), null=True, blank=True, db_index=True)
    first_contact_due_at = models.DateTimeField(_("first contact due"), null=True, blank=True)
    decision_due_at = models.DateTimeField(_("decision due"), null=True, blank=True)
    #: Stopped by the contact move, a note recording contact with the enterprise, or a
    #: decision; never by claiming or assigning.
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    #: Stopped by the first offer or decline.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    decision_escalated_at = models.DateTimeField(_("decision escalated at"), null=True, blank=True)
    #: The furthest stage of the main path (``insights.bank.PATH``, 0 = new) the lead ever
    #: reached, and the working hours (``core.worktime``) from creation to the first
    #: contact and to the decision: set by the service in the move that stops each clock,
    #: so no dashboard does working-time arithmetic (``financing.summary``).
    reached = models.PositiveSmallIntegerField(_("furthest stage reached"), default=0)
    contact_hours = models.DecimalField(
        _("working hours to first contact"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    decision_hours = models.DecimalField(
        _("working hours to decision"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    #: Bumped by every change (services save with ``updated_at`` in ``update_fields``);
    #: the API's "changed since" cursor orders by (updated_at, id).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    #: Why the bank declined: set by the decline move in the same transaction as the
    #: status, blank in every other status (the timeline keeps the history).
    decline_reason = models.CharField(
        _("decline reason"), max_length=32, choices=workflow.DeclineReason.choices, blank=True
    )
    #: The bank's own note on the decline; never shown to the enterprise.
    decline_note = models.TextField(_("decline note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "product"],
                condition=models.Q(status__in=workflow.OPEN),
                name="lead_one_open_per_enterprise_product",
            )
        ]
        indexes = [
            models.Index(fields=["bank", "status"]),
            # The default order, for whole-table lists (the Django admin's leads).
            models.Index(fields=["-created_at", "-id"], name="lead_created_order"),
            # The inbox's tabs in its order (due_at, -created_at, -id), so a page of 50 is
            # read in order and its capped count from the index: "mine" (the branch and
            # bank checked on the index's included columns), the branch's and the bank's
            # leads, and a branch's unassigned open leads. docs/lead-feed-speed.md.
            models.Index(
                fields=["assigned_to", "due_at", "-created_at", "-id"],
                include=["branch", "bank"],
                name="lead_inbox_assignee_due",
            ),
            models.Index(
                fields=["branch", "due_at", "-created_at", "-id"], name="lead_inbox_branch_due"
            ),
            models.Index(
                fields=["bank", "due_at", "-created_at", "-id"], name="lead_inbox_bank_due"
            ),
            models.Index(
                fields=["branch", "due_at", "-created_at", "-id"],
                include=["bank"],
                condition=models.Q(assigned_to__isnull=True, status__in=workflow.OPEN),
                name="lead_inbox_unassigned_due",
            ),
            # The leads feed (``api.leads``) in its order (updated_at, id) within a
            # relationship manager's branch or a manager's bank: a page of 50 read in
            # order, not the whole table's change order filtered (docs/feed-floors.md).
            models.Index(fields=["branch", "updated_at", "id"], name="lead_feed_branch_changed"),
            models.Index(fields=["bank", "updated_at", "id"], name="lead_feed_bank_changed"),
            # Open leads nobody has contacted yet, by due time: the home pages count a
            # bank's overdue and due-today leads (``overdue_q``) as a range of the first
            # and a zone's overdue leads as one probe per firm of the zone in the second,
            # each from the index alone instead of reading the leads (a bank's 140,000
            # overdue leads, a zone's 20,000 firms; docs/performance.md, "Session 10").
            models.Index(
                fields=["bank", "due_at"],
                condition=models.Q(first_contact_at__isnull=True, status__in=workflow.OPEN),
                name="lead_uncontacted_bank_due",
            ),
            models.Index(
                fields=["enterprise", "due_at"],
                condition=models.Q(first_contact_at__isnull=True, status__in=workflow.OPEN),
                name="lead_uncontacted_firm_due",
            ),
            # Every bank's overdue leads, oldest first, each with its firm (joined to the
            # firm's zone index-only): a zone dashboard's 50 overdue leads walk this until
            # 50 are the zone's (nationally 2,238 entries, 9 ms; the ``due_at`` index
            # walked every lead due before now, 72-175 ms).
            models.Index(
                fields=["due_at"],
                include=["id", "enterprise"],
                condition=models.Q(first_contact_at__isnull=True, status__in=workflow.OPEN),
                name="lead_uncontacted_due",
            ),
            # The dashboards count the leads whose decision clock still runs and whose
            # due time is still ahead (``financing.summary``): a short range of this,
            # grouped by product, branch, bank, zone or (joined) the firm's chains, read
            # from the index alone (5,461 leads nationally: by zone 48 -> 16 ms; with the
            # lead's zone included, no firm is probed for it: financing 0029).
            models.Index(
                fields=["decision_due_at"],
                include=["id", "enterprise", "bank", "branch", "product", "status", "zone"],
                condition=models.Q(decided_at__isnull=True),
                name="lead_undecided_due_cover",
            ),
        ]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.product}"

    def save(self, *args, **kwargs):
        """A lead saved without a zone takes its enterprise's (the services pass it; this
        keeps rows made by hand, in tests and fixtures, right)."""
        if self.zone_id is None and self.enterprise_id is not None:
            self.zone_id = self.enterprise.zone_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN

    @property
    def has_need(self) -> bool:
        return self.need_amount is not None

    def offer_difference(self, amount) -> Decimal | None:
        """How far an offered amount is above (positive) or below (negative) the amount
        asked; None when the lead carries no need."""
        if self.need_amount is None or amount is None:
            return None
        return Decimal(amount) - self.need_amount

    @property
    def reason_text(self) -> str:
        """Why the bank declined, in plain words for the enterprise ('' if not declined)."""
        if self.status != self.Status.DECLINED:
            return ""
        return workflow.reason_text(self.decline_reason)


class Campaign(models.Model):
    """A manager pushes a product version's indicative limits to its matched enterprises."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("bank")
    )
    product_version = models.ForeignKey(
        ProductVersion,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("product version"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    invited_count = models.PositiveIntegerField(_("invited"), default=0)
    accepted_count = models.PositiveIntegerField(_("accepted"), default=0)
    declined_count = models.PositiveIntegerField(_("declined"), default=0)
    total_exposure = models.DecimalField(
        _("total indicative exposure (yuan)"), max_digits=18, decimal_places=2, default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return f"{self.product_version} · {self.created_at:%Y-%m-%d}"


class CampaignInvitation(models.Model):
    """One matched enterprise invited with its indicative limit; it accepts or declines."""

    class Status(models.TextChoices):
        SENT = "sent", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campaign")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="campaign_invitations",
        verbose_name=_("enterprise"),
    )
    indicative_limit = models.DecimalField(
        _("indicative limit (yuan)"), max_digits=15, decimal_places=2
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.SENT, db_index=True
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("answer by"))
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], name="campaign_invitation_unique"
            )
        ]
        verbose_name = _("campaign invitation")
        verbose_name_plural = _("campaign invitations")

    def __str__(self) -> str:
        return f"{self.campaign} → {self.enterprise}"

    @property
    def is_open(self) -> bool:
        """Still awaiting an answer and not past its date."""
        return self.status == self.Status.SENT and self.expires_at > timezone.now()
