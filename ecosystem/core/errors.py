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
