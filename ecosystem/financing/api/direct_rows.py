"""Serializers that render pages of rows without DRF's per-row introspection.

For every field of every row DRF's ``Field.get_attribute`` walks the source path and
asks ``inspect.signature`` of each value whether it is a method to call; the leads
feed spent most of a request there. A serializer with :class:`DirectRowsMixin` names,
per field, a plain function that reads the value DRF would have read; the value is
then converted by the field's own ``to_representation``, with DRF's ``None`` rule, so
the output is what DRF renders. Method fields and fields without a reader take DRF's
usual path. Readers are built once per serializer instance and language, so choice
labels resolved in them are in the request's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import get_language
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField
from rest_framework.serializers import SerializerMethodField

Reader = Callable[[Any], Any]
_SKIP = object()


def choice_labels(model: type[models.Model], field_name: str) -> dict[Any, str]:
    """``get_<field>_display``'s labels, resolved once in the active language."""
    field = model._meta.get_field(field_name)
    return {value: force_str(label) for value, label in field.flatchoices}


def _identity(value):
    return value


def _direct(read: Reader, convert: Callable) -> Reader:
    def render(instance):
        value = read(instance)
        return None if value is None else convert(value)

    return render


def _generic(field) -> Reader:
    """DRF's own loop body (``Serializer.to_representation``) for one field."""

    def render(instance):
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)

    return render


class DirectRowsMixin:
    # No class docstring: drf-spectacular would publish it in the OpenAPI schema as the
    # description of every serializer without a docstring of its own. Use: put the
    # mixin before the DRF serializer class and override ``direct_readers``.

    def direct_readers(self) -> dict[str, Reader]:
        """Field name -> function of the instance returning the field's attribute (a
        related field's reader returns the primary key)."""
        return {}

    def _direct_plan(self) -> list[tuple[str, Reader]]:
        language = get_language()
        cached = self.__dict__.get("_direct_plan_cache")
        if cached is not None and cached[0] == language:
            return cached[1]
        readers = self.direct_readers()
        plan = []
        for field in self._readable_fields:
            read = readers.get(field.field_name)
            if isinstance(field, SerializerMethodField):
                render = getattr(field.parent, field.method_name)
            elif read is None:
                render = _generic(field)
            elif isinstance(field, PrimaryKeyRelatedField):
                pk_field = field.pk_field
                render = _direct(read, pk_field.to_representation if pk_field else _identity)
            else:
                render = _direct(read, field.to_representation)
            plan.append((field.field_name, render))
        self._direct_plan_cache = (language, plan)
        return plan

    def to_representation(self, instance):
        ret = {}
        for name, render in self._direct_plan():
            value = render(instance)
            if value is not _SKIP:
                ret[name] = value
        return ret
