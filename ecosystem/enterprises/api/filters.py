"""Query filters for the enterprise API lists."""

import django_filters

from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.search import name_or_code_q
from ecosystem.enterprises.workflow import ClaimStatus


class EnterpriseFilter(django_filters.FilterSet):
    zone = django_filters.CharFilter(field_name="zone__code", help_text="Zone code.")
    industry = django_filters.CharFilter(
        field_name="industry__code", help_text="GB/T 4754 division code, e.g. 39."
    )
    section = django_filters.CharFilter(
        field_name="industry__section__code", help_text="GB/T 4754 section letter, e.g. C."
    )
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the name or the code.")

    class Meta:
        model = Enterprise
        fields = ("zone", "industry", "section", "q")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name_or_code_q(value))


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ClaimStatus.choices)
    program = django_filters.CharFilter(field_name="program__code", help_text="Program code.")

    class Meta:
        model = QualificationClaim
        fields = ("status", "program")
