"""The scheme each of the bank's products lends under, for the bank's own systems: read
the products a manager manages with their scheme; ``PUT`` names the scheme (one the bank
has joined) or ``null`` for none — the same service as the product's page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.accounts.scope import scope_of
from ecosystem.core.api.access import not_found, scoped_get
from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.financing.selectors import products_managed_by
from ecosystem.funds import selectors, services


class ProductSchemeSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="pk", read_only=True)
    product_code = serializers.CharField(source="code", read_only=True)
    product_name = serializers.CharField(source="name", read_only=True)
    scheme = serializers.SerializerMethodField()
    scheme_name = serializers.SerializerMethodField()

    def _link(self, product):
        return getattr(product, "fund_scheme", None)

    def get_scheme(self, product) -> int | None:
        link = self._link(product)
        return link.scheme_id if link else None

    def get_scheme_name(self, product) -> str | None:
        link = self._link(product)
        return link.scheme.name if link else None


class ProductSchemeWriteSerializer(serializers.Serializer):
    scheme = serializers.IntegerField(
        allow_null=True, help_text="A scheme the bank has joined, or null for none."
    )


class ProductSchemeViewSet(mixins.ListModelMixin, GenericViewSet):
    """Products of the banks the user manages, with the scheme each lends under."""

    serializer_class = ProductSchemeSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        banks = scope_of(self.request.user).managed_bank_ids  # the banks' managers only
        return (
            products_managed_by(user=self.request.user)
            .filter(bank_id__in=banks)
            .select_related("fund_scheme__scheme")
            .order_by("pk")
        )

    @extend_schema(responses={200: ProductSchemeSerializer, **READ_ERRORS})
    def retrieve(self, request, pk=None):
        return Response(ProductSchemeSerializer(scoped_get(self.get_queryset(), pk=pk)).data)

    @extend_schema(
        request=ProductSchemeWriteSerializer,
        responses={200: ProductSchemeSerializer, **WRITE_ERRORS},
    )
    def update(self, request, pk=None):
        product = scoped_get(self.get_queryset(), pk=pk)
        data = valid_data(ProductSchemeWriteSerializer(data=request.data))
        scheme = None
        if data["scheme"] is not None:
            scheme = (
                selectors.schemes_visible_to(user=request.user).filter(pk=data["scheme"]).first()
            )
            if scheme is None:
                raise not_found()
        services.scheme_product_declare(product=product, scheme=scheme, actor=request.user)
        product = scoped_get(self.get_queryset(), pk=pk)
        return Response(ProductSchemeSerializer(product).data)
