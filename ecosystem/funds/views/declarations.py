"""The scheme a bank product lends under: a manager of the bank chooses among the schemes
the bank has joined (the product page links here; financing knows nothing of funds)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ecosystem.accounts.scope import scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.financing.selectors import products_managed_by
from ecosystem.funds import selectors, services
from ecosystem.funds.models import SchemeProduct
from ecosystem.funds.scheme_forms import ProductSchemeForm
from ecosystem.funds.views.common import fail, get_visible


@login_required
def product_scheme(request, product_pk: int):
    banks = scope_of(request.user).managed_bank_ids  # the bank's managers, not the admin
    product = get_visible(
        products_managed_by(user=request.user).filter(bank_id__in=banks), product_pk
    )
    current = SchemeProduct.objects.filter(product=product).select_related("scheme").first()
    schemes = selectors.schemes_joined_by(bank_id=product.bank_id)
    form = ProductSchemeForm(
        request.POST or None,
        schemes=schemes,
        initial={"scheme": current.scheme if current else None},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.scheme_product_declare(
                    product=product, scheme=form.cleaned_data["scheme"], actor=request.user
                )
            except ApplicationError as exc:
                fail(request, exc, form)
            else:
                messages.success(request, _("Saved: the product's scheme."))
                return redirect("funds:product_scheme", product_pk=product.pk)
        status = 400
    context = {"product": product, "current": current, "form": form, "tab": "schemes"}
    return render(request, "funds/product_scheme.html", context, status=status)
