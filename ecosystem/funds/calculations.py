"""The funds' arithmetic, in Decimal yuan to the fen (half up), as pure functions: the
services feed them figures read under lock, the tests feed them hand-worked figures.

- headroom = leverage cap × fund − filed balance (never below zero);
- compensation = share × outstanding principal, within what is left of the bank's
  cumulative cap and of the fund's money;
- refund on recovery = share × recovered, never more than the claim's amount not yet
  refunded;
- subsidy = rate × interest paid, within what is left of the firm's annual subsidy cap.
"""

from __future__ import annotations

from decimal import Decimal

from ecosystem.funds.services.common import cents

ZERO = Decimal("0.00")


def _left(cap: Decimal, used: Decimal) -> Decimal:
    return max(ZERO, cents(cap) - cents(used))


def headroom(*, fund_size: Decimal, leverage_cap: Decimal, filed_balance: Decimal) -> Decimal:
    return _left(fund_size * leverage_cap, filed_balance)


def firm_cap_left(*, cap: Decimal, filed_this_year: Decimal) -> Decimal:
    return _left(cap, filed_this_year)


def compensation(
    *,
    share: Decimal,
    principal: Decimal,
    bank_compensated: Decimal,
    cumulative_cap: Decimal,
    fund_size: Decimal,
    fund_committed: Decimal,
) -> Decimal:
    """What the pool pays on a claim. ``bank_compensated`` and ``fund_committed`` are net of
    refunds (approved and paid claims less refunds)."""
    requested = cents(share * principal)
    return min(requested, _left(cumulative_cap, bank_compensated), _left(fund_size, fund_committed))


def refund(*, share: Decimal, recovered: Decimal, claim_amount: Decimal, refunded: Decimal):
    return min(cents(share * recovered), _left(claim_amount, refunded))


def subsidy(*, rate: Decimal, interest_paid: Decimal, cap: Decimal, granted_this_year: Decimal):
    return min(cents(rate * interest_paid), _left(cap, granted_this_year))
