"""What happens on a lead: the bank's offers, the disbursement, and the timeline of
notes and moves that both sides read."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.financing.models.leads import Lead

#: Offers that stand or were taken; declined and expired ones are not money on the table
#: (the yuan "offered" of the ecosystem funnel, its counters and its reference).
OFFERED_STATUSES = ("made", "accepted")


class Offer(models.Model):
    """A bank's offer on a lead; the enterprise accepts or declines it online."""

    class Status(models.TextChoices):
        MADE = "made", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")

    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, related_name="offers", verbose_name=_("lead")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=15, decimal_places=2)
    rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    conditions = models.TextField(_("conditions"), blank=True)
    valid_until = models.DateTimeField(_("valid until"))
    override_reason = models.TextField(_("reason for exceeding the indicative limit"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.MADE, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
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
                fields=["lead"],
                condition=models.Q(status="made"),
                name="offer_one_open_per_lead",
            )
        ]
        indexes = [
            # Offers awaiting an answer in the order they run out: a bank's first few
            # (the home page) read in order, each lead probed for its bank, instead of
            # every such offer sorted; the expiry sweep reads the expired ones.
            models.Index(
                fields=["valid_until", "id"],
                include=["lead"],
                condition=models.Q(status="made"),
                name="offer_made_valid_until",
            ),
            # The offers API's order (newest first): a bank's page read in order, each
            # offer's lead probed for the bank, instead of every offer sorted (220,000
            # nationally, 117 ms -> 2 ms).
            models.Index(fields=["-created_at", "-id"], name="offer_newest"),
        ]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.lead} · ¥{self.amount:,.0f}"


class Disbursement(models.Model):
    """The money went out: recorded by the relationship manager, once per lead."""

    lead = models.OneToOneField(
        Lead, on_delete=models.CASCADE, related_name="disbursement", verbose_name=_("lead")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="+", verbose_name=_("offer")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=15, decimal_places=2)
    disbursed_on = models.DateField(_("disbursed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.lead} · ¥{self.amount:,.0f} · {self.disbursed_on}"


class LeadNote(models.Model):
    """One entry of a lead's timeline: a note by a person, or a move, offer,
    disbursement or escalation written by the service that made it."""

    class Kind(models.TextChoices):
        NOTE = "note", _("note")
        #: A note recording contact with the enterprise (a call, a visit, a message): it
        #: stops the first-contact clock like the contact move.
        CONTACT = "contact", _("contact with the enterprise")
        STATUS = "status", _("status change")
        OFFER = "offer", _("offer")
        DISBURSEMENT = "disbursement", _("disbursement")
        ESCALATION = "escalation", _("escalation")

    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, related_name="notes", verbose_name=_("lead")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), blank=True)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    reason_code = models.CharField(_("reason code"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["lead", "created_at"])]
        verbose_name = _("lead note")
        verbose_name_plural = _("lead notes")

    def __str__(self) -> str:
        return f"{self.lead} · {self.get_kind_display()}"
