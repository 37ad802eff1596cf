"""A world built once for a module (on ``module_db``), handed to each test as its own
objects read again from the database, so that what one test changed on an object in
memory (a status, a version) does not reach the next; the database itself is rolled back
after every test by its savepoint."""

from __future__ import annotations

import copy

from django.db.models import Model


def _again(value):
    if isinstance(value, Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: _again(item) for key, item in value.items()}
    return value


def fresh(world):
    """A shallow copy of ``world`` whose model objects (attributes, and the values of its
    dicts of them) are read again from the database."""
    out = copy.copy(world)
    for name, value in vars(world).items():
        object.__setattr__(out, name, _again(value))
    return out
