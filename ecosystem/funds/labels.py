"""The funds app's codes in people's words (``core.labels``)."""

from django.utils.translation import gettext_lazy as _


def register_labels() -> None:
    from ecosystem.core import labels
    from ecosystem.funds.workflow import ClaimStatus, FilingStatus, SubsidyStatus

    labels.register("filing_status", FilingStatus)
    labels.register("compensation_claim_status", ClaimStatus)
    labels.register("subsidy_status", SubsidyStatus)
    labels.register_audit_family("filing.", _("filing into a risk pool"), FilingStatus)
    labels.register_audit_family("compensation_claim.", _("compensation claim"), ClaimStatus)
    labels.register_audit_family("subsidy.", _("interest subsidy"), SubsidyStatus)
    labels.register_audit_verbs(
        {
            "filing.filed": _("loan filed into a risk pool"),
            "compensation_claim.submitted": _("compensation claim: submitted"),
            "compensation_claim.recovery_recorded": _("compensation claim: recovery recorded"),
            "subsidy.applied": _("interest subsidy applied for"),
            "loan.opened": _("loan opened in the loan book"),
            "loan_sharing.granted": _("loan details shared with the zone"),
            "loan_sharing.revoked": _("loan details no longer shared with the zone"),
            "loan.reported": _("loan status reported"),
            "loan_book.rows": _("loan book file loaded"),
            "scheme.bank_joined": _("bank accepted a scheme's terms"),
            "scheme.fund_manager_appointed": _("fund manager appointed"),
            "scheme.version_created": _("scheme terms: new version"),
            "scheme.created": _("scheme created"),
            "scheme.fund_manager_ended": _("fund manager's appointment ended"),
            "scheme.product_declared": _("product declared under a scheme"),
            "scheme.product_undeclared": _("product no longer under a scheme"),
        }
    )
