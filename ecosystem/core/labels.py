"""People's words for the machine's codes: the one home that turns a code (a status, a
reason, an audit verb, a kind) into its label in the active language.

Each app registers its codes once, when it is ready (``register("lead_status",
LeadStatus)``, ``register_audit_verbs({...})``, ``register_audit_family("lead.",
_("lead"), LeadStatus)``); templates use ``{% load labels %}{{ code|label:"lead_status" }}``
and ``{{ event.verb|audit_verb }}``; Python uses ``label(kind, code)`` and
``audit_verb_label(verb)``. Core sits below every app, so it keeps the registry and never
imports them. An unregistered code is shown as it is, and the tests over every page
(``tests/unit/test_visible_codes.py``) and over every audited verb
(``tests/unit/test_labels.py``) find it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext as _

_LABELS: dict[str, dict[str, object]] = {}
_AUDIT_VERBS: dict[str, object] = {}
#: Verb prefix (``"lead."``) → (the subject's label, the labels of what follows it).
_AUDIT_FAMILIES: dict[str, tuple[object, dict[str, object]]] = {}


def _as_mapping(labels) -> dict[str, object]:
    if isinstance(labels, type) and issubclass(labels, models.Choices):
        return dict(labels.choices)
    return dict(labels)


def register(kind: str, labels: Mapping[str, object] | type[models.Choices]) -> None:
    """Labels (lazy translations) of the codes of ``kind``; a Choices class gives its own."""
    _LABELS.setdefault(kind, {}).update(_as_mapping(labels))


def label(kind: str, code) -> str:
    """The label of ``code`` in the active language; the code itself when unknown."""
    if code is None or code == "":
        return ""
    found = _LABELS.get(kind, {}).get(str(code))
    return str(found) if found is not None else str(code)


def is_registered(kind: str, code) -> bool:
    return str(code) in _LABELS.get(kind, {})


def register_audit_verbs(labels: Mapping[str, object]) -> None:
    """Labels of whole audit verbs (``"claim.created"``: "claim drafted")."""
    _AUDIT_VERBS.update(labels)


def register_audit_family(prefix: str, subject, actions) -> None:
    """Verbs ``<prefix><action>`` (``lead.accepted``) read "<subject>: <action's label>"."""
    _AUDIT_FAMILIES[prefix] = (subject, _as_mapping(actions))


def audit_verb_label(verb: str) -> str:
    """What an audit event's verb says, in the active language; the verb when unknown."""
    if verb in _AUDIT_VERBS:
        return str(_AUDIT_VERBS[verb])
    for prefix in sorted(_AUDIT_FAMILIES, key=len, reverse=True):
        if verb.startswith(prefix):
            subject, actions = _AUDIT_FAMILIES[prefix]
            action = actions.get(verb[len(prefix) :])
            if action is not None:
                return _("%(subject)s: %(action)s") % {"subject": subject, "action": action}
    return verb


def audit_verb_known(verb: str) -> bool:
    return audit_verb_label(verb) != verb
