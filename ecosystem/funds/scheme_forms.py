"""Forms of the fund managers' pages: a new scheme, new terms (a version), the fund
managers of a scheme, and the scheme a product lends under. Percentages are typed as
people say them (50 for 50 %); money in yuan as Decimal. The rules live in the services
(``services/schemes.py``), which refuse absurd terms field by field; the forms refuse the
same early so the input comes back with the error beside its field."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.forms import BootstrapForm
from ecosystem.enterprises.forms import DateInput, YuanField
from ecosystem.funds.models import Scheme

HUNDRED = Decimal(100)


class PercentField(forms.DecimalField):
    """A share typed in percent (0–100, two decimals), given to the services as a fraction."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and not (0 <= value <= HUNDRED):
            # Not a min/max validator: their messages are %-formatted, and this one has "%".
            raise forms.ValidationError(_("A share is between 0 % and 100 %."), code="range")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().rstrip("%").rstrip("％").strip()
        return super().to_python(value)


def as_percent(fraction) -> Decimal:
    return (Decimal(fraction) * HUNDRED).quantize(Decimal("0.01"))


class _CheckboxForm(BootstrapForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"


class SchemeForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=Scheme.Kind.choices)
    owner_zone = forms.ModelChoiceField(
        label=_("Owning zone"), queryset=None, required=False, empty_label="—"
    )
    owner_body = forms.CharField(
        label=_("Or the owning city-level body"),
        max_length=120,
        required=False,
        help_text=_("For example 市科学技术局, when no zone owns the scheme."),
    )

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_zone"].queryset = zones

    def clean(self):
        data = super().clean()
        if bool(data.get("owner_zone")) == bool((data.get("owner_body") or "").strip()):
            self.add_error("owner_zone", _("Name either the owning zone or the city-level body."))
        return data


#: The terms each type of scheme shows (the others are carried over unchanged).
POOL_TERMS = (
    "fund_size",
    "leverage_cap",
    "compensation_share",
    "cumulative_cap",
    "per_firm_annual_cap",
    "max_term_months",
)
SUBSIDY_TERMS = ("fund_size", "subsidy_rate", "per_firm_annual_subsidy_cap")
PERCENT_TERMS = ("compensation_share", "subsidy_rate")


class SchemeVersionForm(_CheckboxForm):
    """New terms of a scheme, filled in with the terms in force."""

    fund_size = YuanField(label=_("Fund (yuan)"))
    leverage_cap = forms.DecimalField(
        label=_("Leverage cap (filed balance ÷ fund)"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("1"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("10 means the loans filed may reach ten times the fund."),
        error_messages={"min_value": _("The leverage cap is at least 1 (the fund itself).")},
    )
    compensation_share = PercentField(
        label=_("Compensation share (%)"), help_text=_("50 means half of the loss.")
    )
    cumulative_cap = YuanField(
        label=_("Cumulative compensation cap per bank (yuan)"), help_text=_("0: no cap.")
    )
    per_firm_annual_cap = YuanField(
        label=_("Loans per firm and year, at most (yuan)"), help_text=_("0: no cap.")
    )
    max_term_months = forms.IntegerField(
        label=_("Longest term (months)"),
        min_value=1,
        max_value=360,
        error_messages={"min_value": _("The longest term is at least one month.")},
    )
    subsidy_rate = PercentField(
        label=_("Subsidy share of interest paid (%)"),
        help_text=_("30 means the subsidy is 30 percent of the interest paid."),
    )
    per_firm_annual_subsidy_cap = YuanField(
        label=_("Subsidy per firm and year, at most (yuan)"), help_text=_("0: no cap.")
    )
    programs = forms.ModelMultipleChoiceField(
        label=_("Eligible qualifications"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: any firm."),
    )
    zones = forms.ModelMultipleChoiceField(
        label=_("Eligible zones"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: any zone."),
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    effective_to = forms.DateField(label=_("Effective until"), widget=DateInput(), required=False)

    def __init__(self, *args, scheme: Scheme, current=None, **kwargs):
        from ecosystem.registries.models import Program
        from ecosystem.zones.models import Zone

        if current is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(current)
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["programs"].queryset = Program.objects.order_by("pk")
        self.fields["zones"].queryset = Zone.objects.order_by("pk")
        shown = POOL_TERMS if scheme.kind == Scheme.Kind.RISK_POOL else SUBSIDY_TERMS
        for name in {*POOL_TERMS, *SUBSIDY_TERMS} - set(shown):
            del self.fields[name]
        if "effective_from" not in self.initial:
            self.initial["effective_from"] = timezone.localdate()

    @staticmethod
    def initial_for(version) -> dict:
        from ecosystem.funds.services.schemes import TERMS

        initial = {name: getattr(version, name) for name in TERMS}
        for name in PERCENT_TERMS:
            initial[name] = as_percent(initial[name])
        initial["programs"] = list(version.programs.all())
        initial["zones"] = list(version.zones.all())
        return initial

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The end comes before the start."))
        return data

    def terms(self) -> dict:
        """The service's keyword arguments: shares as fractions; an empty list of programs
        or zones means any (it is not carried over from the earlier version)."""
        from ecosystem.funds.services.schemes import TERMS

        data = self.cleaned_data
        terms = {name: data[name] for name in TERMS if name in self.fields}
        for name in PERCENT_TERMS:
            if name in terms:
                terms[name] = (terms[name] / HUNDRED).quantize(Decimal("0.0001"))
        return {
            **terms,
            "effective_from": data["effective_from"],
            "effective_to": data.get("effective_to"),
        }


class FundManagerForm(BootstrapForm):
    email = forms.EmailField(
        label=_("E-mail of the person's account"),
        help_text=_("An existing staff account (a zone official may manage a scheme too)."),
    )


class ProductSchemeForm(BootstrapForm):
    scheme = forms.ModelChoiceField(
        label=_("Lends under the scheme"),
        queryset=None,
        required=False,
        empty_label=_("No scheme"),
        help_text=_("Only schemes your bank has joined (accepted their terms)."),
    )

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
