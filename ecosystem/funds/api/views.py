"""The loan book for a bank's own systems: list, read, and a bulk upsert keyed by the
bank's loan reference (idempotent: the same rows again change nothing). Errors are
``{code, detail}``; refused rows come back one by one with their index and field."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.accounts.scope import scope_of
from ecosystem.core.api.access import not_found, scoped_get
from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.funds import selectors, services
from ecosystem.funds.api.serializers import (
    LoanBulkResultSerializer,
    LoanBulkSerializer,
    LoanSerializer,
)


class FundsLoanViewSet(mixins.ListModelMixin, GenericViewSet):
    serializer_class = LoanSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        scope = scope_of(self.request.user)
        loans = selectors.loans_visible_to(user=self.request.user).order_by("pk")
        if scope.zone_ids and not (scope.enterprise_ids or scope.bank_ids or scope.scheme_ids):
            return loans.none()  # a zone official reads figures, not loans
        return loans

    @extend_schema(responses={200: LoanSerializer, **READ_ERRORS})
    def retrieve(self, request, pk=None):
        return Response(LoanSerializer(scoped_get(self.get_queryset(), pk=pk)).data)

    @extend_schema(
        request=LoanBulkSerializer,
        responses={200: LoanBulkResultSerializer, **WRITE_ERRORS},
        description=(
            "Upsert loan status rows keyed by the bank's loan reference. A row of a loan not "
            "yet in the book names its disbursed `lead`. Each row: reference, lead, as_of, "
            "outstanding_principal, next_due_date, days_past_due, classification (normal, "
            "special_mention, substandard, doubtful, loss) and optional events "
            "[{kind: repayment|interest, amount, paid_on, reference}]. Sending the same rows "
            "again changes nothing."
        ),
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request):
        scope = scope_of(request.user)
        if not (scope.managed_bank_ids or scope.branch_ids):
            raise not_found()
        data = valid_data(LoanBulkSerializer(data=request.data))
        rows = [(index, row) for index, row in enumerate(data["rows"], start=1)]
        result = services.loan_rows_upsert(actor=request.user, rows=rows, source="api")
        return Response(LoanBulkResultSerializer(result).data)
