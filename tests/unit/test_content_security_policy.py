"""Content-Security-Policy: every page carries a policy that allows scripts and styles only
from our own static files, and no template or rendered page holds inline script or style."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

TEMPLATES = Path(settings.BASE_DIR) / "templates"

#: <script> without src (inline code); JSON data blocks are not executed and stay allowed.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)
HTMX_EVAL = re.compile(r"\shx-on[:-]|\bjs:", re.I)

TEMPLATE_RULES = {
    "inline <script>": INLINE_SCRIPT,
    "on*= event handler": EVENT_HANDLER,
    "style= attribute": STYLE_ATTRIBUTE,
    "<style> element": STYLE_ELEMENT,
    "javascript: URL": JAVASCRIPT_URL,
    "htmx code in markup (needs unsafe-eval)": HTMX_EVAL,
}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_no_template_holds_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for rule, pattern in TEMPLATE_RULES.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {rule}")
    assert found == []


@pytest.mark.parametrize(
    ("markup", "rule"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<button onclick="go()">', "on*= event handler"),
        ('<div style="width: 1px">', "style= attribute"),
        ('<a href="javascript:go()">', "javascript: URL"),
        ('<div hx-on:click="go()">', "htmx code in markup (needs unsafe-eval)"),
    ],
)
def test_the_template_rules_catch_what_they_name(markup, rule):
    assert TEMPLATE_RULES[rule].search(markup)
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js"></script>')


class InlineFinder(HTMLParser):
    """Collects what a strict policy would block in rendered HTML."""

    def __init__(self):
        super().__init__()
        self.blocked: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            if attributes.get("type") != "application/json":
                self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"{tag} {name}=")
            if name == "style":
                self.blocked.append(f"{tag} style=")
            is_url = name in {"href", "src", "action"}
            if is_url and (value or "").lower().startswith("javascript:"):
                self.blocked.append(f"{tag} {name}=javascript:")


def blocked_in(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.blocked


def client_of(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people(db):
    zone = ZoneFactory()
    enterprise = EnterpriseFactory(zone=zone)
    return {
        "member": EnterpriseMemberFactory(enterprise=enterprise),
        "official": ZoneOfficialFactory(zone=zone),
        "enterprise": enterprise,
    }


def pages(people):
    enterprise = people["enterprise"]
    return [
        (None, reverse("home")),
        (None, reverse("account_login")),
        (None, reverse("account_signup")),
        (people["member"], reverse("home")),
        (people["member"], reverse("enterprise_detail", args=[enterprise.pk])),
        (people["member"], reverse("claim_list", args=[enterprise.pk])),
        (people["official"], reverse("zone_queue")),
        (people["official"], reverse("zone_dashboard")),
    ]


def test_pages_carry_a_strict_policy_and_hold_no_inline_script(people):
    for user, url in pages(people):
        response = client_of(user).get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert blocked_in(response.content.decode()) == [], url


def test_the_finder_sees_inline_code_in_rendered_html():
    html = '<p style="x">a</p><script>go()</script><img src=x onerror="go()">'
    assert blocked_in(html) == ["p style=", "inline <script>", "img onerror="]


def test_api_docs_load_their_code_from_a_script_file():
    """The Swagger UI page keeps script-src 'self': its start-up code is a separate request."""
    response = Client().get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    script = Client().get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_evidence_may_be_framed_by_our_own_pages_only(db):
    from tests.worlds.zone import evidence_url, submit_claim

    claim, member = submit_claim(ZoneFactory())
    response = client_of(member).get(evidence_url(claim))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
