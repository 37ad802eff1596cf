"""Financing models: banks and branches, products and versions, matches."""

from ecosystem.financing.models.products import (
    Bank,
    Branch,
    Match,
    Product,
    ProductVersion,
    RematchMarker,
)

__all__ = ["Bank", "Branch", "Match", "Product", "ProductVersion", "RematchMarker"]
