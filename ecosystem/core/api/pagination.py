"""The API lists' pages: ``count`` is exact up to ``COUNT_CAP`` rows and stops there.

A list over a national scope (every enterprise a bank may see, every match of every
bank) holds hundreds of thousands of rows; an exact ``COUNT(*)`` over it costs more than
the page itself (2 s for the enterprises a bank sees among 1,000,000, docs/slow-pages.md).
A client needs "how many pages to show" and "is there a next page", not the exact size of
a national table: past the cap the response says ``"count": 10000, "count_capped":
true``, and ``next`` still leads on page by page (the contract in docs/api.md).
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

COUNT_CAP = 10_000


class CappedPage(Page):
    def has_next(self) -> bool:
        if self.paginator.capped:
            return self.more
        return super().has_next()


class CappedCountPaginator(Paginator):
    """A paginator whose count reads at most ``COUNT_CAP + 1`` rows; beyond, pages are
    found by reading one row past the page (``has_next``)."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "query"):  # a queryset: count over a LIMIT, never the whole scope
            counted = rows.order_by()[: self.cap + 1].count()
        else:
            counted = len(rows)
        self.capped = counted > self.cap
        return min(counted, self.cap)

    def validate_number(self, number):
        if not (self.count and self.capped):
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.capped:
            # A whole page's LIMIT on the last page too, not the count's remainder: for a
            # search with one match, ``LIMIT 1`` made walking a million firms in name
            # order look cheaper than the search's own index (1 s against 1 ms
            # nationally). The rows are the same.
            bottom = (number - 1) * self.per_page
            top = bottom + self.per_page + self.orphans if self.count > bottom else bottom
            return self._get_page(self.object_list[bottom:top], number, self)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        page = CappedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


class ToldCountPaginator(CappedCountPaginator):
    """A capped paginator told the list's exact ``count`` (read with other figures in one
    query) instead of counting: capped past ``cap`` the same as one that counted."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.capped = count > self.cap
        self.__dict__["count"] = min(count, self.cap)  # ``count`` is a cached property


class CappedCountPagination(PageNumberPagination):
    """The API's default pagination (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``)."""

    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["required"] = [*schema.get("required", []), "count_capped"]
        schema["properties"]["count"]["description"] = (
            f"Rows in the list, exact up to {COUNT_CAP:,}; past that {COUNT_CAP:,} and "
            "count_capped is true."
        )
        schema["properties"] = {
            "count": schema["properties"]["count"],
            "count_capped": {"type": "boolean", "example": False},
            **{k: v for k, v in schema["properties"].items() if k != "count"},
        }
        return schema
