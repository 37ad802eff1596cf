"""Forms of the identity pages: documents, the zone's decisions, a dispute."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.enterprises.workflow import DisputeDismissal, IdentityRefusal


class IdentityDocumentsForm(forms.Form):
    licence = forms.FileField(label=_("Business licence (营业执照), PDF, JPEG or PNG"))
    letter = forms.FileField(
        label=_("Letter of authorisation (授权委托书) with the company seal, PDF, JPEG or PNG")
    )
    note = forms.CharField(
        label=_("Note to the zone official"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IdentityDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm the identity")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label=_("Reason (when refusing)"),
        choices=[("", "—"), *IdentityRefusal.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("reason_code"):
            self.add_error("reason_code", _("Choose a reason."))
        return data


class DisputeForm(forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=32)
    claimed_name = forms.CharField(
        label=_("Company name as the business licence reads"), max_length=200
    )
    licence = forms.FileField(label=_("Business licence (营业执照), PDF, JPEG or PNG"))
    letter = forms.FileField(
        label=_("Letter of authorisation (授权委托书) with the company seal, PDF, JPEG or PNG")
    )
    message = forms.CharField(
        label=_("Message to the zone official"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DisputeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Uphold: transfer the record to the company that filed")),
            ("dismiss", _("Dismiss: the record stays with its holder")),
        ],
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label=_("Reason (when dismissing)"),
        choices=[("", "—"), *DisputeDismissal.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "dismiss" and not data.get("reason_code"):
            self.add_error("reason_code", _("Choose a reason."))
        return data
