"""Forms of the financing pages. They parse what people type; the rules live in services
(``product_save`` reports every refused field at once, and the view puts the errors back
on the form with the input kept)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.core.forms import BootstrapForm
from ecosystem.enterprises.forms import YuanField
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.financing.models import Product, ProductVersion
from ecosystem.financing.services import (
    ELIGIBILITY_FIELDS,
    LIMIT_FIELDS,
    LIST_TERMS,
    TERM_FIELDS,
    VERSION_FIELDS,
)

#: The version's list criteria (the services' ``LIST_TERMS``), each a field of the form.
LIST_FIELDS = LIST_TERMS


class FinancingForm(BootstrapForm):
    """The financing pages' forms (checkbox lists get Bootstrap's check class from the base)."""


def _decimal(label, *, places=4, required=False, help_text=""):
    return forms.DecimalField(
        label=label,
        max_digits=15,
        decimal_places=places,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


HUNDRED = Decimal(100)


def _as_percent(fraction) -> Decimal:
    """A stored fraction (0.0500) as the percentage people type (5.00)."""
    return (Decimal(fraction) * HUNDRED).quantize(Decimal("0.01"))


def _count(label, required=False):
    return forms.IntegerField(label=label, min_value=0, required=required)


class ProductForm(FinancingForm):
    """A product and its terms; saving a change of terms makes a new version."""

    bank = forms.ModelChoiceField(label=_("Bank"), queryset=None, empty_label=None)
    code = forms.SlugField(label=_("Code"), max_length=32)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Product.Kind.choices)
    is_active = forms.BooleanField(label=_("Offered (active)"), required=False, initial=True)

    amount_min = YuanField(label=_("Minimum amount (yuan)"))
    amount_max = YuanField(label=_("Maximum amount (yuan)"))
    term_min_months = _count(_("Minimum term (months)"), required=True)
    term_max_months = _count(_("Maximum term (months)"), required=True)
    rate_min = _decimal(_("Minimum rate (%)"), required=True)
    rate_max = _decimal(_("Maximum rate (%)"), required=True)
    first_contact_target = _count(_("First contact within"), required=True)
    first_contact_unit = forms.ChoiceField(
        label=_("First contact unit"), choices=ProductVersion.Unit.choices
    )
    decision_target = _count(_("Decision (offer or decline) within"), required=True)
    decision_unit = forms.ChoiceField(label=_("Decision unit"), choices=ProductVersion.Unit.choices)
    allows_direct_offer = forms.BooleanField(
        label=_("Offers may be made without a separate contact"),
        required=False,
        help_text=_("The offer then records the first contact too."),
    )
    requires_verified_figures = forms.BooleanField(
        label=_("Requests only on yearly figures verified by the zone"),
        required=False,
        help_text=_(
            "Off: a firm whose figures are declared but not yet verified sees an indicative "
            "match and may apply. On: it must first have its figures verified."
        ),
    )

    stages = forms.MultipleChoiceField(
        label=_("Lifecycle stages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    programs_all = forms.MultipleChoiceField(
        label=_("Required qualifications (all of)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programs_any = forms.MultipleChoiceField(
        label=_("Required qualifications (any of)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_rd_intensity = _decimal(
        _("Minimum R&D intensity (%)"),
        places=2,
        help_text=_("R&D expense ÷ revenue, in percent: 5 means 5%."),
    )
    min_rd_expense = YuanField(label=_("Minimum R&D expense (yuan)"), required=False)
    min_revenue = YuanField(label=_("Minimum revenue (yuan)"), required=False)
    max_revenue = YuanField(label=_("Maximum revenue (yuan)"), required=False)
    max_employees = _count(_("Maximum employees"))
    min_age_years = _count(_("Minimum age (years)"))
    max_age_years = _count(_("Maximum age (years)"))
    min_class_i_ip = _count(_("Minimum class-I IP"))
    zone_codes = forms.MultipleChoiceField(
        label=_("Zones"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industry_sections = forms.MultipleChoiceField(
        label=_("Industry sections"), required=False, widget=forms.CheckboxSelectMultiple
    )
    chain_nodes = forms.MultipleChoiceField(
        label=_("Industrial chain nodes"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("A chain or a node covers every node under it."),
    )
    requires_confirmed_supplier = forms.BooleanField(
        label=_("Only confirmed suppliers of a chain leader"), required=False
    )
    supplier_of_leaders = forms.MultipleChoiceField(
        label=_("Of these chain leaders only"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("None chosen: a confirmed supplier of any chain leader."),
    )

    limit_basis = forms.ChoiceField(
        label=_("Limit basis"),
        required=False,
        choices=[("", "—"), *ProductVersion.LimitBasis.choices],
    )
    limit_factor = _decimal(
        _("Limit factor"),
        help_text=_(
            "Multiple of R&D expense (2 = twice), share of revenue in percent (15 = 15%) "
            "or fixed yuan."
        ),
    )
    uplift_per_qualification = YuanField(
        label=_("Uplift per verified qualification (yuan)"), required=False
    )
    limit_floor = YuanField(label=_("Limit floor (yuan)"), required=False)
    limit_cap = YuanField(label=_("Limit cap (yuan)"), required=False)

    GROUPS = (
        (_("Product"), ("bank", "code", "name_zh", "name_en", "kind", "is_active")),
        (_("Amounts, terms and rates"), TERM_FIELDS),
        (_("Eligibility"), ELIGIBILITY_FIELDS),
        (_("Limit formula"), LIMIT_FIELDS),
    )

    def __init__(self, *args, banks, product: Product | None = None, **kwargs):
        from ecosystem.chains import selectors as chain_selectors
        from ecosystem.enterprises.models import IndustrySection
        from ecosystem.registries.models import Program
        from ecosystem.zones.models import Zone

        super().__init__(*args, **kwargs)
        self.product = product
        self.fields["bank"].queryset = banks
        self.fields["stages"].choices = LifecycleStage.choices()
        programs = [(p.code, p.name) for p in Program.objects.order_by("code")]
        self.fields["programs_all"].choices = programs
        self.fields["programs_any"].choices = programs
        self.fields["zone_codes"].choices = [(z.code, z.name) for z in Zone.objects.all()]
        self.fields["industry_sections"].choices = [
            (s.code, str(s)) for s in IndustrySection.objects.all()
        ]
        self.fields["chain_nodes"].choices = chain_selectors.node_choices()
        self.fields["supplier_of_leaders"].choices = chain_selectors.leader_choices()
        if product is not None:
            # The code and bank name the product; changing them would make another one.
            self.fields["bank"].disabled = True
            self.fields["code"].disabled = True

    @classmethod
    def initial_for(cls, product: Product) -> dict:
        version = product.current_version
        initial = {
            "bank": product.bank_id,
            "code": product.code,
            "name_zh": product.name_zh,
            "name_en": product.name_en,
            "kind": product.kind,
            "is_active": product.is_active,
        }
        if version is not None:
            initial.update({name: getattr(version, name) for name in VERSION_FIELDS})
            # Shares are stored as fractions and entered as percentages.
            if version.min_rd_intensity is not None:
                initial["min_rd_intensity"] = _as_percent(version.min_rd_intensity)
            if version.limit_basis == ProductVersion.LimitBasis.REVENUE_SHARE:
                initial["limit_factor"] = _as_percent(version.limit_factor)
        return initial

    def clean_min_rd_intensity(self):
        value = self.cleaned_data.get("min_rd_intensity")
        if value is None:
            return None
        if not Decimal(0) <= value <= HUNDRED:
            raise forms.ValidationError(_("Enter a percentage between 0 and 100."))
        return value / HUNDRED

    def clean(self):
        data = super().clean()
        factor = data.get("limit_factor")
        share_of_revenue = data.get("limit_basis") == ProductVersion.LimitBasis.REVENUE_SHARE
        if share_of_revenue and factor is not None:
            share = factor / HUNDRED
            if share != share.quantize(Decimal("0.0001")):
                self.add_error("limit_factor", _("Enter a percentage with at most two decimals."))
            else:
                data["limit_factor"] = share
        return data

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def terms(self) -> dict:
        """The version fields as ``product_save`` takes them. A list holding the same codes
        as the current version keeps its order, so saving without a change makes no
        new version."""
        data = self.cleaned_data
        current = self.product.current_version if self.product is not None else None
        terms = {}
        for name in VERSION_FIELDS:
            value = data.get(name)
            if name in LIST_FIELDS:
                value = list(value or [])
                if current is not None and set(value) == set(getattr(current, name)):
                    value = list(getattr(current, name))
            terms[name] = value
        terms["limit_basis"] = terms["limit_basis"] or ""
        if terms["uplift_per_qualification"] is None:
            terms["uplift_per_qualification"] = Decimal("0")
        return terms


class CampaignCreateForm(FinancingForm):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, empty_label="—")

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products.filter(is_active=True)


class MatchFilterForm(FinancingForm):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=None, required=False, empty_label=_("All products")
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
