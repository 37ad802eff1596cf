"""Financing API shapes. Amounts are Decimal yuan sent as strings; names are prefixed
``Financing`` so the schema's components stay unique across the project."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ecosystem.financing.api.lead_serializers import LeadNeedSerializer, need_payload
from ecosystem.financing.models import (
    Bank,
    Campaign,
    CampaignInvitation,
    Lead,
    Product,
    ProductVersion,
)
from ecosystem.financing.models.leads import NEED_COLLATERAL, NEED_PURPOSES
from ecosystem.financing.services import VERSION_FIELDS

MONEY = {"max_digits": 15, "decimal_places": 2}


@extend_schema_field(
    {
        "type": "string",
        "enum": list(Product.Kind.values),
        "description": "\n".join(f"* `{k}` - {label}" for k, label in Product.Kind.choices),
    },
    component_name="FinancingProductKindEnum",
)
class ProductKindField(serializers.ChoiceField):
    """The product kind under a schema name of its own (``kind`` is taken by evidence)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Product.Kind.choices, **kwargs)


class FinancingProductVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductVersion
        fields = ("number", *VERSION_FIELDS, "created_at")
        read_only_fields = fields


class FinancingProductSerializer(serializers.ModelSerializer):
    bank_name = serializers.CharField(source="bank.name", read_only=True)
    kind = ProductKindField(read_only=True)
    current_version = FinancingProductVersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = (
            "id",
            "bank",
            "bank_name",
            "code",
            "name_zh",
            "name_en",
            "kind",
            "is_active",
            "created_at",
            "current_version",
        )
        read_only_fields = fields


def _money(**kwargs):
    return serializers.DecimalField(**MONEY, **kwargs)


def _optional_money():
    return _money(required=False, allow_null=True)


def _optional_count():
    return serializers.IntegerField(required=False, allow_null=True, min_value=0)


def _codes():
    return serializers.ListField(child=serializers.CharField(max_length=32), required=False)


class FinancingProductTermsSerializer(serializers.Serializer):
    """A product's names and terms; every change of terms makes a new version."""

    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = ProductKindField()
    is_active = serializers.BooleanField(required=False, default=True)
    amount_min = _money()
    amount_max = _money()
    term_min_months = serializers.IntegerField(min_value=0)
    term_max_months = serializers.IntegerField(min_value=0)
    rate_min = serializers.DecimalField(max_digits=7, decimal_places=4)
    rate_max = serializers.DecimalField(max_digits=7, decimal_places=4)
    first_contact_target = serializers.IntegerField(min_value=0, required=False)
    first_contact_unit = serializers.ChoiceField(
        choices=ProductVersion.Unit.choices, required=False
    )
    decision_target = serializers.IntegerField(min_value=0, required=False)
    decision_unit = serializers.ChoiceField(choices=ProductVersion.Unit.choices, required=False)
    allows_direct_offer = serializers.BooleanField(required=False)
    requires_verified_figures = serializers.BooleanField(
        required=False,
        help_text="Leads only on yearly figures a zone verified (default: declared allowed).",
    )
    stages = _codes()
    programs_all = _codes()
    programs_any = _codes()
    min_rd_intensity = serializers.DecimalField(
        max_digits=7, decimal_places=4, required=False, allow_null=True
    )
    min_rd_expense = _optional_money()
    min_revenue = _optional_money()
    max_revenue = _optional_money()
    max_employees = _optional_count()
    min_age_years = _optional_count()
    max_age_years = _optional_count()
    min_class_i_ip = _optional_count()
    zone_codes = _codes()
    industry_sections = _codes()
    chain_nodes = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="Chain codes or node paths (ic/design); a node covers those under it.",
    )
    requires_confirmed_supplier = serializers.BooleanField(required=False, default=False)
    supplier_of_leaders = serializers.ListField(
        child=serializers.CharField(max_length=18),
        required=False,
        help_text="Credit codes of chain leaders; empty: any leader.",
    )
    limit_basis = serializers.CharField(max_length=16, required=False, allow_blank=True)
    limit_factor = serializers.DecimalField(
        max_digits=15, decimal_places=4, required=False, allow_null=True
    )
    uplift_per_qualification = _money(required=False)
    limit_floor = _optional_money()
    limit_cap = _optional_money()


class FinancingProductCreateSerializer(FinancingProductTermsSerializer):
    bank = serializers.PrimaryKeyRelatedField(queryset=Bank.objects.none())
    code = serializers.SlugField(max_length=32)

    def __init__(self, *args, banks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if banks is not None:
            self.fields["bank"].queryset = banks


class FinancingCriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    required = serializers.CharField()
    actual = serializers.CharField()
    passed = serializers.BooleanField()
    pending_verification = serializers.BooleanField()


class FinancingExplanationSerializer(serializers.Serializer):
    """Why the enterprise matches (or not): each criterion, the limit and advice."""

    eligible = serializers.BooleanField()
    score = serializers.IntegerField()
    limit = _money(allow_null=True)
    calculation = serializers.CharField()
    advice = serializers.ListField(child=serializers.CharField())
    would_match_once_verified = serializers.BooleanField()
    criteria = FinancingCriterionSerializer(many=True)


class FinancingMatchEnterpriseSerializer(serializers.Serializer):
    """Shown to the enterprise's members, and to a bank only with the enterprise's consent."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    figures_year = serializers.IntegerField(allow_null=True)
    revenue = _money(allow_null=True)
    rd_expense = _money(allow_null=True)
    employees = serializers.IntegerField(allow_null=True)


class FinancingMatchSerializer(serializers.Serializer):
    """``enterprise`` is null when masked (a bank without consent); ``explanation`` is
    given to the enterprise's own members only."""

    id = serializers.IntegerField()
    product = serializers.IntegerField()
    product_name = serializers.CharField()
    bank = serializers.IntegerField()
    version = serializers.IntegerField()
    indicative_limit = _money()
    score = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    zone = serializers.CharField()
    industry_section = serializers.CharField()
    masked = serializers.BooleanField()
    own = serializers.BooleanField(help_text="The match of one of your own enterprises.")
    enterprise = FinancingMatchEnterpriseSerializer(allow_null=True)
    explanation = FinancingExplanationSerializer(allow_null=True)


class MatchApplySerializer(serializers.Serializer):
    """The need the request serves: ``need`` (one of the enterprise's open needs), or a new
    one written here (``amount``, ``term_months``, ``purpose``, optional ``collateral``),
    or nothing at all."""

    need = serializers.IntegerField(required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(
        max_digits=15, decimal_places=2, min_value=Decimal("10000"), required=False
    )
    term_months = serializers.IntegerField(min_value=1, max_value=360, required=False)
    purpose = serializers.ChoiceField(choices=NEED_PURPOSES, required=False)
    collateral = serializers.ChoiceField(choices=NEED_COLLATERAL, required=False, default="none")

    def validate(self, attrs):
        written = [k for k in ("amount", "term_months", "purpose") if k in attrs]
        if attrs.get("need") is not None and written:
            raise serializers.ValidationError(
                _("Either choose a need or write a new one, not both.")
            )
        if written and len(written) < 3:
            raise serializers.ValidationError(
                _("A new need needs an amount, a term and a purpose.")
            )
        return attrs


class FinancingLeadSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="product_version.number", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    need = serializers.SerializerMethodField(
        help_text="The financing need the lead serves (null when none was named)."
    )

    @extend_schema_field(LeadNeedSerializer(allow_null=True))
    def get_need(self, lead):
        return need_payload(lead)

    class Meta:
        model = Lead
        fields = (
            "id",
            "enterprise",
            "product",
            "version",
            "bank",
            "branch",
            "branch_name",
            "status",
            "source",
            "indicative_limit",
            "need",
            "created_at",
        )
        read_only_fields = fields


class FinancingCampaignSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_version.product_id", read_only=True)
    version = serializers.IntegerField(source="product_version.number", read_only=True)

    class Meta:
        model = Campaign
        fields = (
            "id",
            "bank",
            "product",
            "version",
            "status",
            "invited_count",
            "accepted_count",
            "declined_count",
            "total_exposure",
            "created_at",
            "sent_at",
        )
        read_only_fields = fields


class FinancingCampaignCreateSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.none())

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        if products is not None:
            self.fields["product"].queryset = products


class FinancingCampaignRowSerializer(serializers.Serializer):
    """A masked candidate: no name, code, contact or figures."""

    stage = serializers.CharField()
    stage_label = serializers.CharField()
    zone = serializers.CharField()
    industry_section = serializers.CharField()
    indicative_limit = _money()


class FinancingCampaignPreviewSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total_exposure = serializers.DecimalField(max_digits=18, decimal_places=2)
    rows = FinancingCampaignRowSerializer(many=True)


class FinancingInvitationSerializer(serializers.ModelSerializer):
    bank = serializers.IntegerField(source="campaign.bank_id", read_only=True)
    bank_name = serializers.CharField(source="campaign.bank.name", read_only=True)
    product = serializers.IntegerField(source="campaign.product_version.product_id", read_only=True)
    product_name = serializers.CharField(
        source="campaign.product_version.product.name", read_only=True
    )
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = CampaignInvitation
        fields = (
            "id",
            "enterprise",
            "bank",
            "bank_name",
            "product",
            "product_name",
            "indicative_limit",
            "status",
            "is_open",
            "created_at",
            "expires_at",
            "responded_at",
        )
        read_only_fields = fields
