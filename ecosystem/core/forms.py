"""The portal's form base: Bootstrap classes on every widget, ``is-invalid`` on fields with
errors (from validation or reported by a service after it), and choice lists of models read
in one plain query."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from ecosystem.core.i18n import bilingual_name, english


class ListedModelChoiceIterator(ModelChoiceIterator):
    """A model choice field's options from one plain query. Django's own iterator reads
    them with ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor
    (DECLARE, FETCH, CLOSE, held past the transaction outside one): three round trips for
    a list of a few dozen products or zones on every filter page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class NamedModelChoiceIterator(ModelChoiceIterator):
    """The options of a model choice field over bilingual reference rows
    (``core.i18n.BilingualNameMixin``, shown by their ``name``) read as plain values, no
    model instance each: the platform admin's bank dashboard filter lists 1,500 branches.
    The options are those of Django's own iterator (``ModelChoiceIteratorValue`` of the
    primary key, the label ``str(instance)``), the language read once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        in_english = english()
        rows = self.queryset.values_list("pk", "name_zh", "name_en")
        for pk, name_zh, name_en in rows:
            label = bilingual_name(name_zh, name_en, in_english=in_english)
            yield (ModelChoiceIteratorValue(pk, None), label)


class NamedModelChoiceField(forms.ModelChoiceField):
    """A choice of one bilingual reference row, its options read as plain values
    (:class:`NamedModelChoiceIterator`)."""

    iterator = NamedModelChoiceIterator


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, and ``is-invalid`` on fields with errors,
    including errors a service reported after validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ListedModelChoiceIterator
                field.widget.choices = field.choices  # the widget took its own at copy time
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
