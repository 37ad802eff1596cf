"""Forms of the enterprise pages. They parse what people type; the rules live in services."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.roles import Role
from ecosystem.core.forms import BootstrapForm
from ecosystem.core.uscc import validate_uscc
from ecosystem.enterprises.consent_texts import CURRENT_VERSION, TEXTS
from ecosystem.enterprises.models import Consent, FinancingNeed, IndustryDivision
from ecosystem.enterprises.models.figures import MAX_AMOUNT
from ecosystem.enterprises.selectors import consent_banks
from ecosystem.registries.models import Program
from ecosystem.zones.models import Zone


class YuanField(forms.DecimalField):
    """An amount in yuan: accepts ``1,234,567.89`` (also with ¥ and full-width commas)."""

    def __init__(self, *, signed: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        if not signed:
            kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.error_messages["min_value"] = _("An amount cannot be negative.")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("¥", "").replace("￥", "")
            value = value.replace(",", "").replace("，", "").replace(" ", "")
        return super().to_python(value)


class CountField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = _("A count cannot be negative.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# --- Registration wizard and profile -------------------------------------------------


class UsccForm(BootstrapForm):
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("18 characters, printed on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_uscc(self):
        return validate_uscc(self.cleaned_data["uscc"])


class JoinForm(BootstrapForm):
    uscc = forms.CharField(widget=forms.HiddenInput, max_length=40)
    message = forms.CharField(
        label=_("Message to the owners (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def industry_choices() -> list:
    """GB/T 4754 divisions grouped by section, in the active language."""
    groups: OrderedDict[str, list] = OrderedDict()
    for division in IndustryDivision.objects.select_related("section").order_by(
        "section__code", "code"
    ):
        section = division.section
        groups.setdefault(f"{section.code} {section.name}", []).append(
            (str(division.pk), f"{division.code} {division.name}")
        )
    return [("", "—")] + [(label, options) for label, options in groups.items()]


class CompanyForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.all(), empty_label="—")
    founded_on = forms.DateField(label=_("Founding date"), required=False, widget=DateInput())
    industry = forms.ChoiceField(label=_("Industry (GB/T 4754 division)"), required=False)
    registered_address = forms.CharField(
        label=_("Registered address"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = industry_choices()
        self.industry_available = len(choices) > 1
        self.fields["industry"].choices = choices
        if not self.industry_available:
            self.fields["industry"].disabled = True
            self.fields["industry"].help_text = _(
                "The industry list is not loaded yet; you can add the industry later."
            )

    def clean_founded_on(self):
        founded = self.cleaned_data.get("founded_on")
        if founded and founded > timezone.localdate():
            raise ValidationError(_("The founding date cannot be in the future."))
        return founded

    def clean_industry(self):
        value = self.cleaned_data.get("industry")
        if not value:
            return None
        division = IndustryDivision.objects.filter(pk=value).first()
        if division is None:
            raise ValidationError(_("Choose an industry from the list."))
        return division


class ContactForm(BootstrapForm):
    contact_name = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProfileForm(CompanyForm, ContactForm):
    """The whole profile, with the version it was loaded at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = [
        "name",
        "name_en",
        "zone",
        "founded_on",
        "industry",
        "registered_address",
        "contact_name",
        "contact_phone",
        "contact_email",
        "website",
        "description",
    ]


# --- Figures and needs ---------------------------------------------------------------


class FinancialYearForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=1980, max_value=2100)
    revenue = YuanField(label=_("Revenue (yuan)"))
    total_costs = YuanField(label=_("Total costs (yuan)"))
    total_assets = YuanField(label=_("Total assets (yuan)"))
    rd_expense = YuanField(label=_("R&D expense (yuan)"))
    net_profit = YuanField(label=_("Net profit (yuan)"), signed=True, min_value=-MAX_AMOUNT)
    employees = CountField(label=_("Employees"))
    rd_staff = CountField(label=_("S&T (R&D) staff"))
    ip_invention_patents = CountField(label=_("Invention patents"), initial=0)
    ip_ic_layouts = CountField(label=_("IC layout designs"), initial=0)
    ip_plant_varieties = CountField(label=_("New plant varieties"), initial=0)
    ip_new_drugs = CountField(label=_("New drugs"), initial=0)
    ip_utility_models = CountField(label=_("Utility models"), initial=0)
    ip_designs = CountField(label=_("Industrial designs"), initial=0)
    ip_software_copyrights = CountField(label=_("Software copyrights"), initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    AMOUNTS = ("revenue", "total_costs", "total_assets", "rd_expense", "net_profit")
    HEADCOUNTS = ("employees", "rd_staff")
    CLASS_I = ("ip_invention_patents", "ip_ic_layouts", "ip_plant_varieties", "ip_new_drugs")
    CLASS_II = ("ip_utility_models", "ip_designs", "ip_software_copyrights")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
            self.fields["version"].required = True
        else:
            del self.fields["version"]
            self.fields["year"].initial = timezone.localdate().year - 1
        for name in self.CLASS_I + self.CLASS_II:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.CLASS_I + self.CLASS_II:
            if name in data and data[name] is None:
                data[name] = 0
        return data

    def groups(self):
        """Fields grouped for the template: amounts, headcounts, class I and class II IP."""
        return [
            (_("Amounts"), [self[n] for n in self.AMOUNTS]),
            (_("Headcount"), [self[n] for n in self.HEADCOUNTS]),
            (_("Class I intellectual property"), [self[n] for n in self.CLASS_I]),
            (_("Class II intellectual property"), [self[n] for n in self.CLASS_II]),
        ]


class FinancingNeedForm(BootstrapForm):
    amount = YuanField(label=_("Amount (yuan)"))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=FinancingNeed.Purpose.choices)
    collateral = forms.ChoiceField(
        label=_("Collateral offered"),
        choices=FinancingNeed.Collateral.choices,
        initial=FinancingNeed.Collateral.NONE,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


# --- Claims and evidence -------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; cleans to a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [f for f in data if f]
        else:
            files = [data] if data else []
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


EVIDENCE_HELP = _("PDF, JPEG or PNG, at most 10 MB each; the content is checked, not the name.")


class ClaimForm(BootstrapForm):
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.all(), empty_label="—"
    )
    certificate_number = forms.CharField(
        label=_("Certificate or registration number"), max_length=64
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


class NewClaimForm(ClaimForm):
    evidence = MultipleFileField(label=_("Evidence files"), required=False, help_text=EVIDENCE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.fields["year"].initial = timezone.localdate().year


class EvidenceForm(BootstrapForm):
    files = MultipleFileField(label=_("Add evidence files"), help_text=EVIDENCE_HELP)


class ClaimSubmitForm(BootstrapForm):
    message = forms.CharField(
        label=_("Message to the reviewer (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Members and consent -------------------------------------------------------------


class InviteForm(BootstrapForm):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.ENTERPRISE_MEMBER, Role.ENTERPRISE_MEMBER.label),
            (Role.ENTERPRISE_OWNER, Role.ENTERPRISE_OWNER.label),
        ],
    )


class TransferForm(BootstrapForm):
    membership = forms.TypedChoiceField(label=_("New owner"), coerce=int)
    keep_owner = forms.BooleanField(label=_("I stay an owner too"), required=False)

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [("", "—")] + [
            (m.pk, f"{m.user} ({m.user.email})") for m in memberships
        ]


class ConsentForm(BootstrapForm):
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=consent_banks(), empty_label="—")
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    agree = forms.BooleanField(label=_("I have read the text above and agree to it."))

    text_version = CURRENT_VERSION

    @property
    def text(self):
        return TEXTS[CURRENT_VERSION]
