"""The bank dashboard's filter: which leads its figures cover (a period, a product, a
branch, and a bank for someone who sees several), as the user's leads and as a scope of
the summary tables. Shared by the page, its exports and the API."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ecosystem.accounts.scope import scope_of
from ecosystem.core.forms import NamedModelChoiceField
from ecosystem.core.widgets import QuickSelect
from ecosystem.financing import selectors
from ecosystem.financing.models import Branch
from ecosystem.financing.permissions import bank_leads_of_bank_q, bank_leads_q
from ecosystem.financing.selectors.leads import bank_leads_of
from ecosystem.insights.scope import SummaryScope

#: Longest period the dashboard accepts, so a typo such as year 2O26 cannot ask for ages.
MAX_PERIOD_DAYS = 3 * 366


class DashboardFilterForm(forms.Form):
    """Which leads the figures cover: created in a period, of a product, of a branch."""

    created_from = forms.DateField(
        label=gettext_lazy("Created from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_to = forms.DateField(
        # "to" alone is also a lead note's new status: this one is the end of a period.
        label=pgettext_lazy("end of a date range", "to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # Options read as plain rows (1,500 branches for the platform admin), the branches'
    # rendered in Python (``QuickSelect``). The bank is offered only to someone who sees
    # several (a platform admin: every bank nationally).
    bank = NamedModelChoiceField(label=gettext_lazy("Bank"), queryset=None, required=False)
    product = NamedModelChoiceField(label=gettext_lazy("Product"), queryset=None, required=False)
    branch = NamedModelChoiceField(
        label=gettext_lazy("Branch"), queryset=None, required=False, widget=QuickSelect
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        banks = selectors.banks_of_staff(user=user)
        self.fields["bank"].queryset = banks.order_by("code")
        self.several_banks = sees_several_banks(user)
        if not self.several_banks:
            # Still checked (an API caller naming another bank is refused), never listed.
            self.fields["bank"].widget = forms.HiddenInput()
        self.fields["product"].queryset = selectors.products_visible_to(user=user)
        self.fields["branch"].queryset = Branch.objects.filter(bank__in=banks).order_by(
            "bank__code", "code"
        )
        if self.several_banks:
            self._offer_branches_of_the_chosen_bank()
            # Choosing a bank reloads the page with its branches (static/js/bank_dashboard.js).
            self.fields["bank"].widget.attrs["data-bank-choice"] = ""

    def _offer_branches_of_the_chosen_bank(self) -> None:
        """Over several banks, the branch list holds the chosen bank's branches (or the
        one branch chosen), not every bank's: 1,500 nationally, a list nobody scrolls
        and a fifth of the page's time. Any of the user's branches is still accepted."""
        field = self.fields["branch"]
        bank, branch = (str(self.data.get(name) or "") for name in ("bank", "branch"))
        if bank.isdigit():
            offered = field.queryset.filter(bank_id=int(bank))
        elif branch.isdigit():
            offered = field.queryset.filter(pk=int(branch))
        else:
            offered = field.queryset.none()
            field.help_text = _("Choose a bank to list its branches.")
        listed = field.iterator(field)
        listed.queryset = offered
        field.widget.choices = listed

    def clean(self):
        data = super().clean()
        bank = data.get("bank")
        if bank is not None:
            # Ids compared, not rows read: a product or branch of another bank than the one
            # chosen narrows to nothing, which the user would take for a bank without leads.
            if data.get("product") is not None and data["product"].bank_id != bank.pk:
                self.add_error("product", _("This product is not one of the chosen bank's."))
            if data.get("branch") is not None and data["branch"].bank_id != bank.pk:
                self.add_error("branch", _("This branch is not one of the chosen bank's."))
        start, end = data.get("created_from"), data.get("created_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data


def sees_several_banks(user) -> bool:
    """Whether the user's bank dashboard covers more than one bank (a platform admin, or
    someone working for two banks): it then offers a bank filter and compares the banks."""
    scope = scope_of(user)
    return scope.admin_may("view_leads") or len(scope.bank_ids) > 1


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(request):
    """The filter form, the user's leads it narrows to, and the same leads as a scope of
    the summary tables (``None`` when a period is chosen: the summary has no days, so
    the figures of a period are counted from its leads)."""
    form = DashboardFilterForm(request.GET or None, user=request.user)
    leads = bank_leads_of(user=request.user).prefetch_related(None)
    scope = SummaryScope(q=bank_leads_q(scope_of(request.user)))
    if form.is_valid() and form.cleaned_data.get("bank") is not None:
        bank_id = form.cleaned_data["bank"].pk
        leads = leads.filter(bank_id=bank_id)
        scope = SummaryScope(q=bank_leads_of_bank_q(scope_of(request.user), bank_id))
    if form.is_valid():
        data = form.cleaned_data
        if data["created_from"] or data["created_to"]:
            scope = None
        elif data["product"] is not None or data["branch"] is not None:
            scope = replace(
                scope,
                product_id=data["product"].pk if data["product"] is not None else None,
                branch_id=data["branch"].pk if data["branch"] is not None else None,
            )
    if form.is_valid():
        data = form.cleaned_data
        if data["created_from"]:
            leads = leads.filter(created_at__gte=_local_midnight(data["created_from"]))
        if data["created_to"]:
            leads = leads.filter(
                created_at__lt=_local_midnight(data["created_to"] + timedelta(days=1))
            )
        if data["product"] is not None:
            leads = leads.filter(product=data["product"])
        if data["branch"] is not None:
            leads = leads.filter(branch=data["branch"])
    return form, leads, scope


def compares_banks(form) -> bool:
    """Whether the dashboard of ``form`` covers several banks: the user sees more than one
    (the form offers the bank filter) and has not chosen one."""
    if not form.several_banks:
        return False
    return not (form.is_valid() and form.cleaned_data.get("bank") is not None)
