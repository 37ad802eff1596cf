"""Products: the bank's staff read them, its managers create and change them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.errors import ConflictError
from ecosystem.financing import permissions, selectors, services
from ecosystem.financing.api.common import (
    READ_ERRORS,
    READ_ONLY,
    WRITE_ERRORS,
    forbidden,
    scoped_get,
    valid_data,
)
from ecosystem.financing.api.serializers import (
    FinancingProductCreateSerializer,
    FinancingProductSerializer,
    FinancingProductTermsSerializer,
)
from ecosystem.financing.models import Product


def _save(*, bank, actor, code, data):
    names = ("name_zh", "name_en", "kind", "is_active")
    fields = {name: data[name] for name in names if name in data}
    terms = {k: v for k, v in data.items() if k not in (*names, "bank", "code")}
    return services.product_save(bank=bank, actor=actor, code=code, **fields, **terms)


@extend_schema_view(
    list=extend_schema(summary="Products of your bank"),
    retrieve=extend_schema(
        summary="One product with its current terms",
        responses={200: FinancingProductSerializer, **READ_ERRORS},
    ),
)
class FinancingProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Relationship managers and managers of the bank read; managers create and change
    (every change of terms makes a new version; leads keep theirs)."""

    queryset = Product.objects.none()
    serializer_class = FinancingProductSerializer
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return selectors.with_current_versions(
            selectors.products_visible_to(user=self.request.user).order_by("bank", "code")
        )

    def get_object(self):
        return scoped_get(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="Create a product (managers)",
        request=FinancingProductCreateSerializer,
        responses={201: FinancingProductSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        banks = selectors.banks_managed_by(user=request.user)
        data = dict(valid_data(FinancingProductCreateSerializer(data=request.data, banks=banks)))
        bank, code = data.pop("bank"), data.pop("code")
        if Product.objects.filter(bank=bank, code=code).exists():
            raise ConflictError(_("This bank already has a product with this code."), code="exists")
        version = _save(bank=bank, actor=request.user, code=code, data=data)
        return Response(
            FinancingProductSerializer(version.product).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Change a product's names and terms (managers)",
        request=FinancingProductTermsSerializer,
        responses={200: FinancingProductSerializer, **WRITE_ERRORS},
    )
    def update(self, request, pk=None):
        product = self.get_object()
        if not permissions.can_manage_products(request.user, product.bank):
            raise forbidden(READ_ONLY)
        data = dict(valid_data(FinancingProductTermsSerializer(data=request.data)))
        version = _save(bank=product.bank, actor=request.user, code=product.code, data=data)
        return Response(FinancingProductSerializer(version.product).data)
