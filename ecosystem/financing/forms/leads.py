"""Forms of the lead pages (inbox filters, notes, moves, offers, disbursement)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.accounts.scope import rms_of_branch
from ecosystem.core.templatetags.money import yuan
from ecosystem.core.widgets import QuickSelect
from ecosystem.financing import workflow
from ecosystem.financing.forms.products import FinancingForm
from ecosystem.financing.models import Lead

S = Lead.Status


class LeadFilterForm(FinancingForm):
    q = forms.CharField(
        label=gettext_lazy("Enterprise name or credit code"), required=False, max_length=100
    )
    # Selects rendered in Python (``QuickSelect``): the inbox is the RM's most opened page,
    # and a template per option cost milliseconds of each request.
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, widget=QuickSelect)
    product = forms.ModelChoiceField(
        label=gettext_lazy("Product"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All products"),
        widget=QuickSelect,
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["status"].choices = [("", _("All statuses")), *S.choices]


class NoteForm(FinancingForm):
    body = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    contact = forms.BooleanField(
        label=gettext_lazy("This note records a contact with the enterprise"), required=False
    )


class DeclineForm(FinancingForm):
    reason_code = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        required=False,
        choices=[("", "---------"), *workflow.DeclineReason.choices],
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the timeline"), required=False, max_length=4000
    )


class AssignForm(FinancingForm):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Relationship manager"), queryset=None, required=True
    )

    def __init__(self, *args, lead: Lead, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = rms_of_branch(lead.branch_id)


class OfferForm(FinancingForm):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (yuan)"), max_digits=15, decimal_places=2, min_value=0
    )
    rate = forms.DecimalField(
        label=gettext_lazy("Annual rate (%)"), max_digits=7, decimal_places=4, min_value=0
    )
    term_months = forms.IntegerField(label=gettext_lazy("Term (months)"), min_value=1)
    conditions = forms.CharField(
        label=gettext_lazy("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    valid_until = forms.DateTimeField(
        label=gettext_lazy("Valid until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Reason for exceeding the indicative limit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )

    def __init__(self, *args, lead: Lead | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if lead is None:
            return
        # The product's ranges beside the fields they bound.
        version = lead.product_version
        self.fields["amount"].help_text = _(
            "Between %(low)s and %(high)s yuan; the indicative limit is %(limit)s yuan."
        ) % {
            "low": yuan(version.amount_min),
            "high": yuan(version.amount_max),
            "limit": yuan(lead.indicative_limit),
        }
        self.fields["rate"].help_text = _("Between %(low)s%% and %(high)s%% a year.") % {
            "low": version.rate_min,
            "high": version.rate_max,
        }
        self.fields["term_months"].help_text = _("Between %(low)d and %(high)d months.") % {
            "low": version.term_min_months,
            "high": version.term_max_months,
        }


class DisbursementForm(FinancingForm):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (yuan)"), max_digits=15, decimal_places=2, min_value=0
    )
    disbursed_on = forms.DateField(
        label=gettext_lazy("Disbursed on"), widget=forms.DateInput(attrs={"type": "date"})
    )


# ---- inbox ------------------------------------------------------------------------------
