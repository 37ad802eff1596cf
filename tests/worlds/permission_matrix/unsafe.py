"""What an unsafe entry sends and the change a permitted request makes.

``Unsafe(what, look, data)``: ``data(world, role)`` is a valid request body for that role
(the same one for a role that is refused, so the refusal is the matrix's doing and not the
form's); ``look(world)`` reads the state the request changes, and ``what`` says in words
what that change is. A role in the entry's ``changes`` must change ``look``; every other
role must leave every table as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.worlds.files import PDF


@dataclass(frozen=True)
class Unsafe:
    what: str
    look: Callable[[Any], Any]
    data: Callable[[Any, str], dict] = lambda world, role: {}
    json: bool = False


def field(name: str, *attributes: str):
    """A look at ``attributes`` of the world's object ``name``."""

    def look(world):
        obj = world.get(name)
        return tuple(getattr(obj, attribute) for attribute in attributes)

    return look


def count(label: str, **filters):
    """A look at how many rows of ``label`` (``app.Model``) there are."""

    def look(world):
        return apps.get_model(label)._default_manager.filter(**filters).count()

    return look


def same(data: dict):
    return lambda world, role: data


def offer_terms(world, role) -> dict:
    valid = (timezone.now() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    return {"amount": "800000", "rate": "4.0", "term_months": "12", "valid_until": valid}


def disbursement(world, role) -> dict:
    return {"amount": "800000", "disbursed_on": timezone.localdate().isoformat()}


def lead_move(world, role) -> dict:
    """The bank declines the lead; the enterprise withdraws it."""
    if role == "member":
        return {"to": "withdrawn"}
    return {"to": "declined", "reason_code": "credit_history"}


def assign(world, role) -> dict:
    return {"assignee": world.other_rm.pk}


def pdf(world, role) -> dict:
    return {"files": SimpleUploadedFile("more.pdf", PDF)}


LEAD_STATUS = "the lead's status"
