"""Members of an enterprise and requests to join it."""

from rest_framework import serializers

from ecosystem.accounts.models import Membership
from ecosystem.enterprises.models import JoinRequest


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "email", "full_name", "role", "role_label", "created_at")
        read_only_fields = fields


class OwnershipTransferSerializer(serializers.Serializer):
    keep_owner = serializers.BooleanField(
        default=False, help_text="Stay an owner too instead of stepping down to member."
    )


class JoinRequestSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = JoinRequest
        fields = (
            "id",
            "enterprise",
            "enterprise_name",
            "enterprise_uscc",
            "email",
            "full_name",
            "message",
            "status",
            "created_at",
            "decided_at",
        )
        read_only_fields = fields
