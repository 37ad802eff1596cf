"""The portal's URLs and one API operation more: "the code changed" for
``test_schema_cache``."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.urls import urlpatterns as portal


class Added(APIView):
    @extend_schema(summary="An operation added by a deploy", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response({})


urlpatterns = [*portal, path("api/v1/schema-cache-added/", Added.as_view())]
