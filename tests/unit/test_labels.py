"""Codes in people's words: every audit verb the code writes has a label in both
languages, the label registry answers in the active language, and the audit trail in
the admin shows the label, not the verb."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from ecosystem.core import labels
from ecosystem.core.models import AuditEvent
from ecosystem.core.templatetags.labels import audit_verb, label
from tests.factories import PlatformAdminFactory

SOURCE = Path(__file__).resolve().parents[2] / "ecosystem"
LITERAL = re.compile(r'verb=(f?)"([^"]+)"|"((?:lead|claim)\.[a-z_]+_escalated|lead\.escalated)"')
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


def verbs_in_source() -> tuple[set[str], set[str]]:
    """(literal verbs, prefixes of verbs built with an f-string such as ``lead.{to}``)."""
    literal, prefixes = set(), set()
    for path in SOURCE.rglob("*.py"):
        for fstring, verb, other in LITERAL.findall(path.read_text()):
            if other:
                literal.add(other)
            elif fstring:
                prefixes.add(verb.split("{")[0])
            else:
                literal.add(verb)
    return literal, prefixes


def test_the_scan_finds_the_verbs_the_issue_names():
    literal, prefixes = verbs_in_source()
    assert {"lead.created", "list_import.confirmed", "lead.escalated"} <= literal
    assert {"lead.", "claim.", "chain.link_"} <= prefixes


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_audit_verb_has_a_label(language):
    literal, prefixes = verbs_in_source()
    with translation.override(language):
        unknown = sorted(v for v in literal if not labels.audit_verb_known(v))
        families = sorted(p for p in prefixes if p not in labels._AUDIT_FAMILIES)
        if language == "zh-hans":
            english = sorted(v for v in literal if ASCII_WORD.search(labels.audit_verb_label(v)))
        else:
            english = []
    assert (unknown, families, english) == ([], [], [])


def test_a_family_verb_reads_subject_and_status_in_the_active_language():
    with translation.override("en"):
        assert audit_verb("lead.accepted") == "lead: offer accepted"
        assert label("offer_made", "lead_status") == "offer made"
    with translation.override("zh-hans"):
        assert "lead" not in audit_verb("lead.accepted")
        assert label("offer_made", "lead_status") not in ("offer_made", "offer made")
    assert audit_verb("no.such_verb") == "no.such_verb"
    assert label("", "lead_status") == ""


@pytest.mark.django_db
def test_the_audit_trail_shows_what_happened_in_words(client):
    AuditEvent.objects.create(verb="lead.accepted", target_repr="某企业 · 科技贷")
    client.force_login(PlatformAdminFactory())
    page = client.get(
        reverse("admin:core_auditevent_changelist"), headers={"accept-language": "en"}
    ).content.decode()
    assert "lead: offer accepted" in page
    assert ">lead.accepted<" not in page
