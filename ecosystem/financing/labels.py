"""The financing app's codes in people's words (``core.labels``)."""

from django.utils.translation import gettext_lazy as _


def register_labels() -> None:
    from ecosystem.core import labels
    from ecosystem.financing.models import CampaignInvitation, LeadNote, Offer, Product
    from ecosystem.financing.workflow import DECLINE_REASON_TEXTS, DeclineReason, LeadStatus

    labels.register("lead_status", LeadStatus)
    labels.register("decline_reason", DeclineReason)
    labels.register("decline_reason_text", {str(k): v for k, v in DECLINE_REASON_TEXTS.items()})
    labels.register("offer_status", Offer.Status)
    labels.register("product_kind", Product.Kind)
    labels.register("lead_note_kind", LeadNote.Kind)
    labels.register_audit_family("lead.", _("lead"), LeadStatus)
    labels.register_audit_family(
        "campaign_invitation.", _("campaign invitation"), CampaignInvitation.Status
    )
    labels.register_audit_verbs(
        {
            "lead.created": _("lead: created"),
            "lead.reassigned": _("lead: reassigned"),
            "lead.contact_recorded": _("lead: contact recorded"),
            "lead.escalated": _("lead: first contact overdue, escalated"),
            "lead.decision_escalated": _("lead: decision overdue, escalated"),
            "product.version": _("product: new version"),
            "campaign.created": _("campaign: created"),
            "campaign.sent": _("campaign: sent"),
        }
    )
