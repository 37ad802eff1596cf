"""The bank dashboard's product and branch filters read their options as plain rows
(``core.forms.NamedModelChoiceField``: 1,500 branches for the platform admin) and render
exactly what Django's own ``ModelChoiceField`` renders for the same rows: the same
values, the same labels in the active language (the English name when there is one), the
chosen option marked, every label escaped."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory
from django.utils import translation

from ecosystem.core.forms import NamedModelChoiceField
from ecosystem.core.widgets import QuickSelect
from ecosystem.financing.models import Branch, Product
from ecosystem.insights.views.bank_filter import DashboardFilterForm
from tests.factories import BankFactory, BranchFactory, PlatformAdminFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _world():
    first, second = BankFactory(), BankFactory()
    BranchFactory(bank=second, name_zh="乙 <b>支行</b>", name_en="")
    BranchFactory(bank=first, name_zh="甲 & 支行", name_en="A & branch")
    BranchFactory(bank=first, name_zh="丙支行", name_en="C branch")
    ProductFactory(bank=first, name_zh="科技贷", name_en="Tech loan")
    ProductFactory(bank=second, name_zh="快贷", name_en="")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("chosen", [None, "second branch"])
def test_the_filters_render_as_djangos_own_model_choices(language, chosen, monkeypatch):
    # Every branch of the admin's banks listed (the list that follows the chosen bank is
    # ``test_bank_dashboard_bank_filter``'s): the rendering is what is compared here.
    monkeypatch.setattr(DashboardFilterForm, "_offer_branches_of_the_chosen_bank", lambda f: None)
    _world()
    queryset = Branch.objects.order_by("bank__code", "code")
    value = None if chosen is None else queryset[1].pk
    request = RequestFactory().get("/", {"branch": value} if value else {})
    request.user = PlatformAdminFactory()

    class Djangos(forms.Form):
        product = forms.ModelChoiceField(queryset=Product.objects.order_by("pk"), required=False)
        branch = forms.ModelChoiceField(queryset=queryset, required=False, widget=QuickSelect)

    with translation.override(language):
        form = DashboardFilterForm(request.GET or None, user=request.user)
        form.fields["product"].queryset = Product.objects.order_by("pk")
        reference = Djangos(request.GET or None)
        for name in ("product", "branch"):
            assert isinstance(form.fields[name], NamedModelChoiceField)
            assert str(form[name]) == str(reference[name]), name
        html = str(form["branch"])
    assert html.count("<option") == 4  # the empty choice and three branches
    assert "&lt;b&gt;" in html and "&amp;" in html and "<b>" not in html
    assert ("A &amp; branch" in html) is (language == "en")
    assert "乙 &lt;b&gt;支行" in html  # no English name: the Chinese one
    marked = f'<option value="{value}" selected>' if value else '<option value="" selected>'
    assert html.count(" selected>") == 1 and marked in html
    if chosen is not None:
        assert form.is_valid() and form.cleaned_data["branch"] == queryset[1]
