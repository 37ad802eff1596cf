"""Registry officers manage the lists of the programs they are bound to."""

from ecosystem.accounts.roles import Role


def can_manage_program(user, program) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.memberships.filter(
        is_active=True, role=Role.REGISTRY_OFFICER, program=program
    ).exists()
