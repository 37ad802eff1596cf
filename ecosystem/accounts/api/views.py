from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystem.accounts.api.serializers import MeSerializer


class MeView(APIView):
    """The signed-in user with roles and scopes. Read-only: roles come from invitations."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
