"""Schemes (with live figures), filings, compensation claims and subsidy applications for
the banks' and the fund managers' systems. Reads go through the same selectors as the
pages; each move calls the same ``*_transition`` service (errors are ``{code, detail}``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.api.access import not_found, scoped_get
from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.funds import selectors, services
from ecosystem.funds.models import CompensationClaim, Filing, Scheme, SubsidyApplication


class SchemeSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    owner = serializers.CharField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = ["id", "code", "name", "kind", "kind_label", "owner", "figures"]

    def get_figures(self, scheme) -> dict:
        """The terms in force and the live figures: fund, filed balance, headroom,
        leverage used, compensation committed (net of refunds) and the fund left."""
        figures = selectors.scheme_figures(scheme)
        terms = figures.pop("terms")
        if terms is None:
            return {}
        return {
            "version": terms.number,
            "fund_size": str(terms.fund_size),
            "leverage_cap": str(terms.leverage_cap),
            "compensation_share": str(terms.compensation_share),
            "subsidy_rate": str(terms.subsidy_rate),
            **{key: str(value) for key, value in figures.items()},
        }


class FilingSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    loan_reference = serializers.CharField(source="loan.reference")

    class Meta:
        model = Filing
        fields = [
            "id",
            "loan",
            "loan_reference",
            "scheme",
            "status",
            "status_label",
            "amount",
            "eligibility",
            "filed_at",
            "review_due_at",
            "decided_at",
            "reason",
        ]


class CompensationClaimSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = CompensationClaim
        fields = [
            "id",
            "filing",
            "status",
            "status_label",
            "principal",
            "share",
            "requested",
            "amount",
            "recovery_actions",
            "submitted_at",
            "review_due_at",
            "reviewed_at",
            "approved_at",
            "paid_at",
            "payment_reference",
            "reason",
        ]


class SubsidySerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = SubsidyApplication
        fields = [
            "id",
            "loan",
            "scheme",
            "status",
            "status_label",
            "period_start",
            "period_end",
            "interest_paid",
            "amount",
            "applied_at",
            "confirmed_at",
            "approved_at",
            "paid_at",
            "reason",
        ]


class MoveSerializer(serializers.Serializer):
    to = serializers.CharField(help_text="The target status (see the workflow tables).")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    payment_reference = serializers.CharField(required=False, allow_blank=True, default="")
    interest_paid = serializers.DecimalField(
        max_digits=15, decimal_places=2, required=False, allow_null=True, default=None
    )


class FilingCreateSerializer(serializers.Serializer):
    loan = serializers.IntegerField()
    scheme = serializers.IntegerField()


class CompensationClaimCreateSerializer(serializers.Serializer):
    filing = serializers.IntegerField()
    recovery_actions = serializers.CharField()


class _ReadViewSet(mixins.ListModelMixin, GenericViewSet):
    #: The router's detail route (``<int:pk>``) is the only one (no explicit path besides).
    lookup_value_converter = "int"

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(scoped_get(self.get_queryset(), pk=pk)).data)


class SchemeViewSet(_ReadViewSet):
    serializer_class = SchemeSerializer

    def get_queryset(self):
        return selectors.schemes_visible_to(user=self.request.user).order_by("pk")

    @extend_schema(responses={200: SchemeSerializer, **READ_ERRORS})
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk)


class FilingViewSet(_ReadViewSet):
    serializer_class = FilingSerializer

    def get_queryset(self):
        return selectors.filings_visible_to(user=self.request.user).order_by("pk")

    @extend_schema(responses={200: FilingSerializer, **READ_ERRORS})
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk)

    @extend_schema(
        request=FilingCreateSerializer, responses={201: FilingSerializer, **WRITE_ERRORS}
    )
    def create(self, request):
        data = valid_data(FilingCreateSerializer(data=request.data))
        loan = selectors.loans_reported_by(user=request.user).filter(pk=data["loan"]).first()
        scheme = selectors.schemes_visible_to(user=request.user).filter(pk=data["scheme"]).first()
        if loan is None or scheme is None:
            raise not_found()
        filing = services.filing_submit(loan=loan, scheme=scheme, actor=request.user)
        return Response(FilingSerializer(filing).data, status=201)

    @extend_schema(request=MoveSerializer, responses={200: FilingSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = valid_data(MoveSerializer(data=request.data))
        filing = services.filing_transition(
            filing=scoped_get(self.get_queryset(), pk=pk),
            to=data["to"],
            actor=request.user,
            reason=data["reason"],
        )
        return Response(FilingSerializer(filing).data)


class ClaimViewSet(_ReadViewSet):
    serializer_class = CompensationClaimSerializer

    def get_queryset(self):
        return selectors.claims_visible_to(user=self.request.user).order_by("pk")

    @extend_schema(responses={200: CompensationClaimSerializer, **READ_ERRORS})
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk)

    @extend_schema(
        request=CompensationClaimCreateSerializer,
        responses={201: CompensationClaimSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = valid_data(CompensationClaimCreateSerializer(data=request.data))
        filing = scoped_get(selectors.filings_visible_to(user=request.user), pk=data["filing"])
        claim = services.claim_submit(
            filing=filing, actor=request.user, recovery_actions=data["recovery_actions"]
        )
        return Response(CompensationClaimSerializer(claim).data, status=201)

    @extend_schema(
        request=MoveSerializer, responses={200: CompensationClaimSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = valid_data(MoveSerializer(data=request.data))
        claim = services.claim_transition(
            claim=scoped_get(self.get_queryset(), pk=pk),
            to=data["to"],
            actor=request.user,
            reason=data["reason"],
            payment_reference=data["payment_reference"],
        )
        return Response(CompensationClaimSerializer(claim).data)


class SubsidyViewSet(_ReadViewSet):
    serializer_class = SubsidySerializer

    def get_queryset(self):
        return selectors.subsidies_visible_to(user=self.request.user).order_by("pk")

    @extend_schema(responses={200: SubsidySerializer, **READ_ERRORS})
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk)

    @extend_schema(request=MoveSerializer, responses={200: SubsidySerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = valid_data(MoveSerializer(data=request.data))
        application = services.subsidy_transition(
            application=scoped_get(self.get_queryset(), pk=pk),
            to=data["to"],
            actor=request.user,
            reason=data["reason"],
            interest_paid=data["interest_paid"],
        )
        return Response(SubsidySerializer(application).data)
