from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.viewsets import ReadOnlyModelViewSet

from ecosystem.registries.api.serializers import ProgramSerializer
from ecosystem.registries.models import Program


@extend_schema_view(
    list=extend_schema(summary="Qualification programs"),
    retrieve=extend_schema(summary="One program, by its code"),
)
class ProgramViewSet(ReadOnlyModelViewSet):
    """Programs enterprises claim membership of (reference data, read-only)."""

    queryset = Program.objects.order_by("code")
    serializer_class = ProgramSerializer
    lookup_field = "code"
    lookup_value_converter = "slug"
    filterset_fields = ("level",)
