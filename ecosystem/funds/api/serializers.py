"""The loan book's API shapes."""

from rest_framework import serializers

from ecosystem.funds.models import Loan


class LoanRowSerializer(serializers.Serializer):
    """One loan's status; ``lead`` is needed only for a loan the book does not hold yet.
    Values are checked row by row by the service, so one bad row refuses only itself."""

    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    lead = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    as_of = serializers.CharField(required=False, allow_blank=True, help_text="YYYY-MM-DD")
    outstanding_principal = serializers.CharField(required=False, allow_blank=True)
    next_due_date = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    days_past_due = serializers.CharField(required=False, allow_blank=True)
    classification = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="normal, special_mention, substandard, doubtful or loss (or 正常 … 损失)",
    )
    events = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="[{kind: repayment|interest, amount, paid_on, reference}]",
    )


class LoanBulkSerializer(serializers.Serializer):
    rows = LoanRowSerializer(many=True, allow_empty=False, max_length=5000)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1-based index of the row in the request.")
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class LoanBulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    history = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    events = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


class LoanSerializer(serializers.ModelSerializer):
    classification_label = serializers.CharField(source="get_classification_display")
    non_performing = serializers.BooleanField(source="is_non_performing")
    bank = serializers.CharField(source="bank.name")
    enterprise = serializers.CharField(source="enterprise.name")

    class Meta:
        model = Loan
        fields = [
            "id",
            "reference",
            "lead",
            "bank",
            "enterprise",
            "principal",
            "disbursed_on",
            "term_months",
            "annual_rate",
            "outstanding_principal",
            "next_due_date",
            "days_past_due",
            "classification",
            "classification_label",
            "non_performing",
            "reported_on",
        ]
