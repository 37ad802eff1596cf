"""Financing reads, scoped to the user: what a user may not see does not exist.

Banks see matched enterprises through :func:`match_rows`, which leaves out name, credit
code, contact and figures unless the enterprise gave that bank consent.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ecosystem.accounts.scope import scope_of
from ecosystem.financing import permissions as policy
from ecosystem.financing.models import (
    Bank,
    Product,
    ProductVersion,
)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def banks_managed_by(*, user) -> QuerySet[Bank]:
    return Bank.objects.filter(policy.managed_banks_q(scope_of(user)))


def banks_of_staff(*, user) -> QuerySet[Bank]:
    """Banks the user works for as relationship manager or manager."""
    return Bank.objects.filter(policy.staff_banks_q(scope_of(user)))


def bank_products_of(*, user) -> QuerySet[Product]:
    """The products of the user's banks: those whose matches ``matches_for_bank`` lists."""
    return Product.objects.filter(bank__in=banks_of_staff(user=user))


def products_visible_to(*, user) -> QuerySet[Product]:
    return Product.objects.filter(policy.products_q(scope_of(user))).select_related("bank")


def products_managed_by(*, user) -> QuerySet[Product]:
    return Product.objects.filter(policy.managed_products_q(scope_of(user))).select_related("bank")


def versions_of(*, product: Product) -> QuerySet[ProductVersion]:
    return product.versions.select_related("created_by").order_by("-number")


def with_current_versions(products: QuerySet[Product]) -> QuerySet[Product]:
    """``products`` with their versions prefetched newest first, for
    ``Product.current_version``: a list of products costs one query for all versions."""
    return products.prefetch_related(
        Prefetch(
            "versions",
            queryset=ProductVersion.objects.order_by("product_id", "-number"),
            to_attr="versions_newest_first",
        )
    )
