"""Forms of the registry pages. They parse what people type; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError
from ecosystem.core.forms import BootstrapForm
from ecosystem.core.uscc import validate_uscc
from ecosystem.registries.selectors import programs_managed_by


class ListUploadForm(BootstrapForm):
    """Program (only those the officer manages), batch and the list file."""

    program = forms.ModelChoiceField(label=_("program"), queryset=None, empty_label=None)
    batch = forms.CharField(
        label=_("batch"),
        max_length=64,
        help_text=_("As the authority names it, e.g. 2026年第一批."),
    )
    file = forms.FileField(
        label=_("list file"),
        help_text=_(
            "The list as the authority published it: Excel (.xlsx or the older .xls, every "
            "sheet), CSV (UTF-8, UTF-8 with BOM or GB18030) or a PDF holding a table. Titles, "
            "sub-headings, totals and notes around the table are recognised and skipped; a "
            "list without credit codes is matched to registered firms by name for you to "
            "confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls,.pdf,.et,text/csv"}),
    )

    #: Service error codes that belong to the batch field; every other refusal is the file's.
    BATCH_ERRORS = frozenset({"batch_required"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs_managed_by(user=user).order_by("code")

    def add_service_error(self, exc: ApplicationError) -> None:
        field = "batch" if exc.code in self.BATCH_ERRORS else "file"
        self.add_error(field, exc.message)


class EntryLookupForm(BootstrapForm):
    uscc = forms.CharField(
        label=_("unified social credit code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_uscc(self) -> str:
        return validate_uscc(self.cleaned_data["uscc"])
