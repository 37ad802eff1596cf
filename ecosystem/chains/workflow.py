"""The supplier link's moves: who may take each one.

Parties: ``supplier`` (a member of the supplier enterprise) and ``leader`` (a member of
the leading enterprise). ``link_transition`` in ``services`` is the only code that
changes a link's status.
"""

from ecosystem.chains.models import SupplierLink

SUPPLIER = "supplier"
LEADER = "leader"

S = SupplierLink.Status

TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    # The supplier asked: the leader confirms or declines, the supplier may withdraw.
    (S.REQUESTED, S.CONFIRMED): frozenset({LEADER}),
    (S.REQUESTED, S.DECLINED): frozenset({LEADER}),
    (S.REQUESTED, S.WITHDRAWN): frozenset({SUPPLIER}),
    # The leader invited: the supplier accepts or declines, the leader may withdraw.
    (S.INVITED, S.CONFIRMED): frozenset({SUPPLIER}),
    (S.INVITED, S.DECLINED): frozenset({SUPPLIER}),
    (S.INVITED, S.WITHDRAWN): frozenset({LEADER}),
    # A confirmed link is the leader's to end.
    (S.CONFIRMED, S.ENDED): frozenset({LEADER}),
}


def moves_for(status: str, parties: set[str]) -> list[str]:
    """The targets ``parties`` may move a link in ``status`` to, in table order."""
    return [to for (source, to), who in TRANSITIONS.items() if source == status and who & parties]
