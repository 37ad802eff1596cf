"""Lists read a page of ids at a time, for ``Paginator`` (``count()`` and bounded slices).

A national list whose order an index holds per part (a bank's matches per product, an
RM's firms per served zone) is cheaper to page by reading each part's first ``offset +
page`` ids and sorting only those than by sorting the whole scope: a subclass gives
``ids(offset, limit)`` and ``rows(ids)``; a slice is the rows of the page's ids, in order.
"""

from __future__ import annotations


class IdPages:
    """Bounded slices of ``rows(ids(offset, limit))`` in the ids' order; ``count()`` and
    ``__len__`` are the subclass's."""

    def ids(self, offset: int, limit: int) -> list[int]:
        raise NotImplementedError

    def rows(self, ids: list[int]) -> dict:
        """{id: row} of ``ids`` (e.g. ``queryset.in_bulk(ids)``)."""
        raise NotImplementedError

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1) or index.stop is None:
            raise TypeError(f"{type(self).__name__} takes bounded slices only")
        start = index.start or 0
        ids = self.ids(start, max(0, index.stop - start))
        if not ids:
            return []
        loaded = self.rows(ids)
        return [loaded[pk] for pk in ids]
