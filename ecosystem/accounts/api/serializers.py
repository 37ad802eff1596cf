from rest_framework import serializers

from ecosystem.accounts.models import Membership, User


class ScopeSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MembershipSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display")
    scope = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ("id", "role", "role_label", "scope")
        read_only_fields = fields

    def get_scope(self, membership) -> dict:
        for kind in ("enterprise", "zone", "program", "branch", "bank"):
            obj = getattr(membership, kind)
            if obj is not None:
                code = getattr(obj, "uscc", None) or getattr(obj, "code", "")
                return ScopeSerializer(
                    {"type": kind, "id": obj.pk, "code": code, "name": str(obj)}
                ).data
        return {}


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    is_platform_admin = serializers.BooleanField(source="is_superuser")
    second_factor = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = (
            "id",
            "email",
            "full_name",
            "language",
            "is_platform_admin",
            "second_factor",
            "roles",
            "memberships",
        )
        read_only_fields = fields

    def _memberships(self, user):
        from ecosystem.accounts.scope import active_memberships

        return active_memberships(user)

    def get_memberships(self, user) -> list[dict]:
        return MembershipSerializer(self._memberships(user), many=True).data

    def get_roles(self, user) -> list[str]:
        return sorted({m.role for m in self._memberships(user)})

    def get_second_factor(self, user) -> bool:
        from ecosystem.accounts.selectors import has_second_factor

        return has_second_factor(user=user)
