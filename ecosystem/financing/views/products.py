"""Bank pages: the product list and the product editor (managers change, staff read)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.views.common import form_error
from ecosystem.financing import permissions, selectors, services
from ecosystem.financing.forms import ProductForm
from ecosystem.financing.views.common import (
    bank_context,
    bank_manager_required,
    bank_staff_required,
)


@bank_staff_required
def product_list(request):
    products = selectors.with_current_versions(
        selectors.products_visible_to(user=request.user).order_by("bank__code", "code")
    )
    managed = set(selectors.banks_managed_by(user=request.user).values_list("pk", flat=True))
    rows = [
        {"product": p, "version": p.current_version, "can_edit": p.bank_id in managed}
        for p in products
    ]
    return render(request, "financing/products.html", bank_context(request, "products", rows=rows))


def _save(request, form, product=None):
    """Run ``product_save``; refused fields go back on the form, the input kept."""
    data = form.cleaned_data
    bank = product.bank if product is not None else data["bank"]
    try:
        version = services.product_save(
            bank=bank,
            actor=request.user,
            code=product.code if product is not None else data["code"],
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            kind=data["kind"],
            is_active=data["is_active"],
            **form.terms(),
        )
    except ApplicationError as exc:
        form_error(form, exc)
        return None
    return version


@bank_manager_required
def product_create(request):
    banks = selectors.banks_managed_by(user=request.user)
    form = ProductForm(request.POST or None, banks=banks, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if (
            selectors.products_managed_by(user=request.user)
            .filter(bank=form.cleaned_data["bank"], code=code)
            .exists()
        ):
            form.add_error("code", _("This bank already has a product with this code."))
        elif (version := _save(request, form)) is not None:
            messages.success(request, _("%(product)s created.") % {"product": version.product.name})
            return redirect("financing_products")
    return render(
        request,
        "financing/product_form.html",
        bank_context(request, "products", form=form, product=None),
    )


@bank_staff_required
def product_edit(request, product_pk: int):
    """Managers of the product's bank edit; its other staff see the terms read-only."""
    product = get_object_or_404(selectors.products_visible_to(user=request.user), pk=product_pk)
    can_edit = permissions.can_manage_products(request.user, product.bank)
    banks = selectors.banks_of_staff(user=request.user)
    if request.method == "POST" and can_edit:
        form = ProductForm(
            request.POST, banks=banks, product=product, initial=ProductForm.initial_for(product)
        )
        if form.is_valid():
            before = product.current_version
            version = _save(request, form, product)
            if version is not None:
                if before is not None and version.pk == before.pk:
                    messages.info(
                        request,
                        _("Saved. The terms did not change: still version %(number)d.")
                        % {"number": version.number},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Saved as version %(number)d. Matches are being recomputed; "
                            "leads keep the version they were made from."
                        )
                        % {"number": version.number},
                    )
                return redirect("financing_products")
    else:
        form = ProductForm(initial=ProductForm.initial_for(product), banks=banks, product=product)
        if not can_edit:
            for field in form.fields.values():
                field.disabled = True
    return render(
        request,
        "financing/product_form.html",
        bank_context(
            request,
            "products",
            form=form,
            product=product,
            can_edit=can_edit,
            versions=selectors.versions_of(product=product)[:10],
        ),
    )
