"""The chain API's shapes."""

from __future__ import annotations

from rest_framework import serializers

from ecosystem.chains.models import Chain, ChainLeader, ChainNode, SupplierLink


class ChainNodeSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    chain = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ChainNode
        fields = ("id", "chain", "parent", "code", "path", "segment", "name_zh", "name_en")
        read_only_fields = fields


class ChainSerializer(serializers.ModelSerializer):
    class Meta:
        model = Chain
        fields = ("code", "name_zh", "name_en", "description_zh", "description_en")
        read_only_fields = fields


class ChainDetailSerializer(ChainSerializer):
    nodes = serializers.SerializerMethodField()

    class Meta(ChainSerializer.Meta):
        fields = (*ChainSerializer.Meta.fields, "nodes")
        read_only_fields = fields

    def get_nodes(self, chain) -> list[dict]:
        nodes = chain.nodes.select_related("chain").order_by("path")
        return ChainNodeSerializer(nodes, many=True).data


class EnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    zone = serializers.CharField(source="zone.code")


class NodeCoverageSerializer(serializers.Serializer):
    node = serializers.IntegerField(source="node.pk")
    path = serializers.CharField(source="node.path")
    segment = serializers.CharField(source="node.segment")
    enterprises = serializers.IntegerField()
    verified = serializers.IntegerField()
    matched = serializers.IntegerField()
    leads = serializers.IntegerField()
    financed = serializers.DecimalField(max_digits=17, decimal_places=2)
    gap = serializers.BooleanField(help_text="Enterprises on or under the node, no financing.")


class ChainTotalsSerializer(serializers.Serializer):
    enterprises = serializers.IntegerField()
    verified = serializers.IntegerField()
    matched = serializers.IntegerField()
    leads = serializers.IntegerField()
    financed = serializers.DecimalField(max_digits=17, decimal_places=2)


class ChainCoverageSerializer(serializers.Serializer):
    chain = serializers.CharField()
    zone = serializers.IntegerField(allow_null=True)
    totals = ChainTotalsSerializer()
    nodes = NodeCoverageSerializer(many=True)


class NodeEnterprisesSerializer(serializers.Serializer):
    node = serializers.IntegerField()
    count = serializers.IntegerField(
        help_text="Enterprises you may see on the node, exact up to 10,000 (then count_capped)."
    )
    count_capped = serializers.BooleanField()
    next = serializers.URLField(allow_null=True, help_text="The next page (50 a page).")
    previous = serializers.URLField(allow_null=True)
    enterprises = EnterpriseRefSerializer(many=True, help_text="This page's enterprises, by name.")
    hidden = serializers.IntegerField(
        allow_null=True,
        help_text="Enterprises on the node that have not shared their data with your bank "
        "(null when the count is capped).",
    )


class ChainLeaderSerializer(serializers.ModelSerializer):
    chain = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = EnterpriseRefSerializer(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ChainLeader
        fields = ("id", "chain", "enterprise", "designated_at", "ended_at", "is_active")
        read_only_fields = fields


class DesignateSerializer(serializers.Serializer):
    chain = serializers.SlugRelatedField(slug_field="code", queryset=Chain.objects.all())
    uscc = serializers.CharField(max_length=24)


class SupplierLinkSerializer(serializers.ModelSerializer):
    leader = ChainLeaderSerializer(read_only=True)
    supplier = EnterpriseRefSerializer(read_only=True)
    status = serializers.CharField(read_only=True, help_text=" | ".join(SupplierLink.Status.values))

    class Meta:
        model = SupplierLink
        fields = (
            "id",
            "leader",
            "supplier",
            "status",
            "note",
            "created_at",
            "confirmed_at",
            "closed_at",
            "updated_at",
        )
        read_only_fields = fields


class LinkCreateSerializer(serializers.Serializer):
    """A supplier's member asks (``supplier_uscc`` is their own enterprise) or a leader's
    member invites (``supplier_uscc`` is the supplier's)."""

    leader = serializers.PrimaryKeyRelatedField(queryset=ChainLeader.objects.none())
    supplier_uscc = serializers.CharField(max_length=24)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = ChainLeader.objects.filter(ended_at__isnull=True)


class LinkTransitionSerializer(serializers.Serializer):
    to = serializers.CharField(
        max_length=16, help_text="confirmed | declined | withdrawn | ended (see the workflow)"
    )


class PlacementSerializer(serializers.Serializer):
    nodes = serializers.ListField(
        child=serializers.CharField(max_length=200), help_text="Node paths (ic/design/memory)."
    )
