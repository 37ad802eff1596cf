"""Domain errors raised by services and turned into form errors, 400s or 409s by callers."""

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A rule of the domain refused the operation; nothing was changed.

    ``code`` is stable and machine-readable; ``message`` is translatable text for people.
    ``status`` hints how an API should answer (400 invalid input, 409 conflict).
    """

    status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str,
        status: int | None = None,
        extra: dict | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        if status is not None:
            self.status = status
        self.extra = extra or {}


class ConflictError(ApplicationError):
    status = 409


#: SQLSTATEs of a write that lost a race for a lock: serialization failure, deadlock,
#: lock not available (PostgreSQL).
_BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
#: What SQLite says when another write held the database past the busy timeout.
_BUSY_MESSAGES = ("database is locked", "database table is locked")


def is_busy_database(exc: BaseException) -> bool:
    """Whether ``exc`` is a database error of two writes at once (a lock not obtained in
    time), which the user can simply retry, rather than a fault."""
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return any(message in str(exc).lower() for message in _BUSY_MESSAGES)


def busy_conflict() -> ConflictError:
    from django.utils.translation import gettext_lazy as _

    return ConflictError(
        _("Someone else was changing the same thing at this moment. Reload and try again."),
        code="busy",
    )
