"""The application form on the match page: which financing need the request serves."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.enterprises.forms import YuanField
from ecosystem.enterprises.models import FinancingNeed
from ecosystem.financing.forms.products import FinancingForm
from ecosystem.financing.services.applications import NewNeed

NEW = "new"


def need_label(need: FinancingNeed) -> str:
    return _("¥%(amount)s · %(purpose)s · %(months)s months · %(collateral)s") % {
        "amount": f"{need.amount:,.2f}",
        "purpose": need.get_purpose_display(),
        "months": need.term_months,
        "collateral": need.get_collateral_display(),
    }


class ApplyForm(FinancingForm):
    """Choose one of the enterprise's open needs, or write a new one in the same form.

    ``cleaned_data["need"]`` is the chosen need, ``cleaned_data["new_need"]`` the written
    one (a ``NewNeed``); both None when the enterprise states no need."""

    need = forms.ChoiceField(label=_("The financing need this request serves"), required=False)
    amount = YuanField(label=_("Amount (yuan)"), required=False)
    term_months = forms.IntegerField(
        label=_("Term (months)"), min_value=1, max_value=360, required=False
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", "—"), *FinancingNeed.Purpose.choices], required=False
    )
    collateral = forms.ChoiceField(
        label=_("Collateral offered"),
        choices=FinancingNeed.Collateral.choices,
        initial=FinancingNeed.Collateral.NONE,
        required=False,
    )

    def __init__(self, *args, needs, prefix=None, **kwargs):
        self.needs = {str(n.pk): n for n in needs}
        super().__init__(*args, prefix=prefix, **kwargs)
        choices = [(pk, need_label(n)) for pk, n in self.needs.items()]
        choices.append((NEW, _("Write a new need below")))
        self.fields["need"].choices = choices
        self.fields["need"].initial = next(iter(self.needs), NEW)

    def clean(self):
        data = super().clean()
        choice = data.get("need") or NEW
        data["new_need"] = None
        if choice != NEW:
            data["need"] = self.needs.get(choice)
            return data
        data["need"] = None
        written = [data.get(k) not in (None, "") for k in ("amount", "term_months", "purpose")]
        if not any(written):
            return data
        for key in ("amount", "term_months", "purpose"):
            if data.get(key) in (None, "") and key not in self.errors:
                self.add_error(key, _("Needed to write a new financing need."))
        if not self.errors:
            data["new_need"] = NewNeed(
                amount=data["amount"],
                term_months=data["term_months"],
                purpose=data["purpose"],
                collateral=data.get("collateral") or FinancingNeed.Collateral.NONE,
            )
        return data
