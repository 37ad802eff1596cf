"""What the registry pages share: scoped fetching, export formats, pagination."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from ecosystem.core.gates import NotForYourRole
from ecosystem.registries import selectors
from ecosystem.registries.models import ListImport

#: What the import is doing right now, in words (``ListImport.phase`` is a code).
PHASES = {
    "reading": _("reading and checking rows"),
    "loading": _("writing entries and verifying claims"),
}


def require_officer(request) -> None:
    """The import pages exist only for registry officers; anyone else gets a 404 that says
    whom the page is for."""
    if not selectors.programs_managed_by(user=request.user).exists():
        raise NotForYourRole(_("registry officers"))


def officer_import(request, pk: int) -> ListImport:
    """An import of one of the officer's programs; any other import is a 404."""
    return get_object_or_404(selectors.imports_visible_to(user=request.user), pk=pk)


def page_of(request, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
