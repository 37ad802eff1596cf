"""A sum of money, marked as such: a ``Decimal`` in yuan that a table cell shows by the
money rule (``|cell`` → ``|wan``, short with the exact yuan on hover) while exports,
charts and APIs keep the exact Decimal (``Money`` is a ``Decimal``)."""

from __future__ import annotations

from decimal import Decimal


class Money(Decimal):
    """An amount in yuan. Arithmetic gives back a plain Decimal; mark the result again."""

    __slots__ = ()
