"""Enterprise reads, scoped to the user."""

from ecosystem.accounts.selectors import enterprises_of


def enterprises_for_member(*, user):
    return enterprises_of(user=user).select_related("zone")
