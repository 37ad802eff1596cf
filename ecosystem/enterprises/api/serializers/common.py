"""Shared serializer behaviour."""


class NeverPartial:
    """A change to some fields, checked against the ``version`` last read.

    The optional fields are declared as such, so ``version`` stays required on PATCH
    too; DRF's and drf-spectacular's PATCH handling would otherwise drop every required
    field, and the schema would show ``version`` as optional.
    """

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value) -> None:
        """Ignored, see the class docstring."""
