"""The loan book's forms: open a loan, report its status, record a payment, upload a file."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.funds.models import LoanEvent
from ecosystem.funds.services.loans import Status
from ecosystem.funds.workflow import Classification

#: ISO dates: a date input ignores any other format (zh-hans would render 2026/12/06).
_DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"})
_TEXT = {"class": "form-control"}


class LoanStatusForm(forms.Form):
    as_of = forms.DateField(label=_("Status as of"), widget=_DATE, initial=timezone.localdate)
    outstanding_principal = forms.DecimalField(
        label=_("Outstanding principal (yuan)"),
        max_digits=15,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    next_due_date = forms.DateField(label=_("Next due date"), widget=_DATE, required=False)
    days_past_due = forms.IntegerField(
        label=_("Days past due"), min_value=0, initial=0, widget=forms.NumberInput(attrs=_TEXT)
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def status(self) -> Status:
        return Status(**self.cleaned_data)


class LoanOpenForm(LoanStatusForm):
    reference = forms.CharField(
        label=_("Bank's loan reference"), max_length=64, widget=forms.TextInput(attrs=_TEXT)
    )
    field_order = ["reference"]

    def status(self) -> Status:
        data = {k: v for k, v in self.cleaned_data.items() if k != "reference"}
        return Status(**data)


class LoanEventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Payment"),
        choices=LoanEvent.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        max_digits=15,
        decimal_places=2,
        min_value=0.01,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE, initial=timezone.localdate)
    reference = forms.CharField(
        label=_("Bank's payment reference"), max_length=64, widget=forms.TextInput(attrs=_TEXT)
    )


class LoanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Loan book file"),
        help_text=_(
            "CSV (UTF-8, UTF-8 with BOM or GB18030) or Excel (.xlsx). Columns: 贷款编号 "
            "(reference), 线索编号 (lead, for a loan not yet in the book), 报告日期 (as_of), "
            "贷款余额 (outstanding_principal), 下次还款日, 逾期天数, 五级分类; "
            "optionally 还款类型, 还款金额, 还款日期, 还款流水号."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class FilingForm(forms.Form):
    """The bank files a loan into one of the pools its bank cooperates in."""

    scheme = forms.ModelChoiceField(
        label=_("Risk-compensation pool"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        from ecosystem.funds.models import Scheme

        self.fields["scheme"].queryset = schemes if schemes is not None else Scheme.objects.none()


class SubsidyApplyForm(FilingForm):
    period_start = forms.DateField(label=_("Period from"), widget=_DATE)
    period_end = forms.DateField(label=_("Period to"), widget=_DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].label = _("Interest-subsidy scheme")


class MoveForm(forms.Form):
    """One step of a workflow: the target comes from the button; a reason where asked."""

    to = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    )
    payment_reference = forms.CharField(
        label=_("Payment reference"), required=False, max_length=64, widget=forms.TextInput(_TEXT)
    )
    interest_paid = forms.DecimalField(
        label=_("Interest actually paid (yuan)"),
        required=False,
        max_digits=15,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs=_TEXT),
    )


class ClaimForm(forms.Form):
    recovery_actions = forms.CharField(
        label=_("Recovery actions taken"), widget=forms.Textarea(attrs={**_TEXT, "rows": 3})
    )


class RecoveryForm(forms.Form):
    recovered = forms.DecimalField(
        label=_("Amount recovered (yuan)"),
        max_digits=15,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs=_TEXT),
    )
    reference = forms.CharField(
        label=_("Bank's reference"), max_length=64, widget=forms.TextInput(_TEXT)
    )
