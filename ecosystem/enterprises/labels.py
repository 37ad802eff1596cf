"""The enterprises app's codes in people's words (``core.labels``)."""

from django.utils.translation import gettext_lazy as _


def register_labels() -> None:
    from ecosystem.core import labels
    from ecosystem.enterprises.models import JoinRequest
    from ecosystem.enterprises.workflow import ClaimStatus, DisputeStatus, IdentityStatus

    labels.register("claim_status", ClaimStatus)
    labels.register_audit_family("claim.", _("qualification claim"), ClaimStatus)
    labels.register_audit_family("join_request.", _("request to join"), JoinRequest.Status)
    labels.register_audit_family("enterprise.identity_", _("registrant's identity"), IdentityStatus)
    labels.register_audit_family("dispute.", _("dispute over a credit code"), DisputeStatus)
    labels.register_audit_verbs(
        {
            "claim.created": _("qualification claim: drafted"),
            "claim.updated": _("qualification claim: edited"),
            "evidence.added": _("evidence file added"),
            "evidence.removed": _("evidence file removed"),
            "join_request.filed": _("request to join: filed"),
            "member.removed": _("member removed"),
            "member.left": _("member left"),
            "ownership.transferred": _("ownership transferred"),
            "name_match.confirmed": _("name match confirmed"),
            "name_match.rejected": _("name match rejected"),
            "financing_need.created": _("financing need entered"),
            "financing_need.closed": _("financing need closed"),
            "financial_year.created": _("financial year entered"),
            "financial_year.updated": _("financial year edited"),
            "financial_year.verification": _("financial year: verification decided"),
            "enterprise.registered": _("enterprise registered"),
            "enterprise.updated": _("enterprise profile edited"),
            "enterprise.reviews_moved": _("open reviews moved to the new zone"),
            "consent.granted": _("data consent granted"),
            "consent.revoked": _("data consent revoked"),
            "consent.revoked_by_dispute": _("data consent ended by a dispute"),
            "claim.list_mismatch": _("qualification claim: the official list disagrees"),
            "dispute.filed": _("dispute over a credit code: filed"),
            "dispute.withdrawn": _("dispute over a credit code: withdrawn"),
            "dispute.record_transferred": _("record transferred after a dispute"),
            "dispute.bank_notified": _("banks told of a dispute's outcome"),
            "member.removed_by_dispute": _("member removed by a dispute"),
            "enterprise.name_flagged": _("name already registered under another code: flagged"),
            "enterprise.name_flag_cleared": _("name flag cleared"),
        }
    )
