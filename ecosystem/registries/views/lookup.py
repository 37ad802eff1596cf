"""Looking a credit code up on the official lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ecosystem.registries import selectors
from ecosystem.registries.forms import EntryLookupForm


@login_required
def entry_lookup(request):
    """Which programs and batches list a credit code, current or withdrawn."""
    form = EntryLookupForm(request.GET if "uscc" in request.GET else None)
    entries = None
    if form.is_bound and form.is_valid():
        entries = list(selectors.entries_for_uscc(uscc=form.cleaned_data["uscc"]))
    return render(
        request,
        "registries/entries/lookup.html",
        {"form": form, "entries": entries, "today": timezone.localdate(), "tab": "lookup"},
    )
