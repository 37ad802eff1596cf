"""Forms of the zone pages. They parse what officials type; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.core.forms import BootstrapForm
from ecosystem.enterprises.models.figures import VerificationStatus
from ecosystem.enterprises.review.services import BULK_LIMIT
from ecosystem.enterprises.workflow import AWAITING_DECISION, ClaimStatus
from ecosystem.registries.models import Program
from ecosystem.zones.selectors import active_rejection_reasons

KINDS = (("claim", _("qualification claims")), ("financial_year", _("financial years")))


def _reason_choices():
    return [("", "—")] + [(r.code, r.label) for r in active_rejection_reasons()]


class QueueFilterForm(BootstrapForm):
    """The queue's filters, read from the query string; invalid values are ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("name or credit code"), "type": "search"}),
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.all(), required=False, empty_label=_("all")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *KINDS])
    min_age = forms.IntegerField(
        label=_("Min. age (working days)"), required=False, min_value=0, max_value=999
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all"))] + [
            (s.value, s.label) for s in ClaimStatus if s in AWAITING_DECISION
        ]

    def filters(self) -> dict:
        """Keyword arguments for ``review_queue``; a field that does not parse is dropped."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "program": data.get("program"),
            "status": data.get("status") or None,
            "kind": data.get("kind") or "",
            "min_age": data.get("min_age"),
        }


class ClaimIdsField(forms.TypedMultipleChoiceField):
    """Claim ids ticked in the queue. Any positive integer parses: the service looks each
    one up in the official's zones and reports what it did not find."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, **kwargs)

    def valid_value(self, value) -> bool:
        return str(value).isdigit() and len(str(value)) < 19


class BulkDecisionForm(BootstrapForm):
    claim = ClaimIdsField()
    to = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ClaimStatus.VERIFIED, _("Approve")), (ClaimStatus.REJECTED, _("Reject"))],
    )
    reason_code = forms.ChoiceField(label=_("Reason (for a rejection)"), required=False)
    reason_text = forms.CharField(
        label=_("Explanation"), required=False, max_length=2000, widget=forms.TextInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = _reason_choices()
        self.fields["claim"].error_messages["required"] = _("Select at least one claim.")

    def clean_claim(self):
        ids = list(dict.fromkeys(self.cleaned_data["claim"]))
        if len(ids) > BULK_LIMIT:
            raise forms.ValidationError(
                _("At most %(n)d claims at once.") % {"n": BULK_LIMIT}, code="too_many"
            )
        return ids

    def clean(self):
        data = super().clean()
        if data.get("to") == ClaimStatus.REJECTED and not data.get("reason_code"):
            self.add_error("reason_code", _("Choose a reason code."))
        return data


class ApproveForm(BootstrapForm):
    """Approval needs nothing but the button."""


class RejectForm(BootstrapForm):
    reason_code = forms.ChoiceField(label=_("Reason"))
    reason_text = forms.CharField(
        label=_("Explanation to the enterprise"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = _reason_choices()


class NeedsInfoForm(BootstrapForm):
    message = forms.CharField(
        label=_("What the enterprise should add or correct"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


#: The decision forms of the review page, by target status.
DECISION_FORMS = {
    ClaimStatus.VERIFIED: ApproveForm,
    ClaimStatus.REJECTED: RejectForm,
    ClaimStatus.NEEDS_INFO: NeedsInfoForm,
}


class YearVerificationForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (VerificationStatus.VERIFIED, _("The figures are verified")),
            (VerificationStatus.DISCREPANCY, _("Flag a discrepancy")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required for a discrepancy)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == VerificationStatus.DISCREPANCY
            and not (data.get("note") or "").strip()
        ):
            self.add_error("note", _("Describe the discrepancy."))
        return data


class DigestSettingsForm(BootstrapForm):
    digest_enabled = forms.BooleanField(
        label=_("Send me a daily email with new items to review"), required=False
    )
