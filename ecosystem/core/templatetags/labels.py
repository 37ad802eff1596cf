"""``{% load labels %}``: ``{{ code|label:"lead_status" }}`` and ``{{ verb|audit_verb }}``,
the label of a code in the active language (see ``ecosystem.core.labels``)."""

from django import template

from ecosystem.core import labels

register = template.Library()


@register.filter
def label(code, kind: str) -> str:
    return labels.label(kind, code)


@register.filter
def audit_verb(verb: str) -> str:
    return labels.audit_verb_label(verb)
