"""The browser crawl of each role's pages (tests/browser/test_role_crawl.py): which pages a
role may open (from the permission matrix), a breadth-first walk over the links from the home
page, and the checks run on each page (sideways scroll at phone width, console errors and
axe-core's serious and critical violations)."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import BrowserContext, Page

from tests.worlds.permission_matrix import MATRIX
from tests.worlds.permission_matrix.runner import all_patterns

AXE = Path(__file__).resolve().parent.parent / "browser" / "vendor" / "axe.min.js"

#: The matrix's role for each crawled role.
ROLES = ("member", "official", "registry", "rm", "manager", "admin")

#: Pages a role may open that no link leads to, by design: they are reached by an e-mailed
#: link, as the answer to a form, from a button's POST, or are parts of a page (htmx
#: fragments, progress polls) rather than pages.
NOT_LINKED = {
    # allauth: e-mailed links, answers to forms, pages of sign-in flows
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_logout",
    "account_login",
    "account_signup",
    "mfa_reauthenticate",
    "mfa_recovery_codes_download",
    "mfa_download_recovery_codes",
    # offered on the two-factor page once an authenticator is set up
    "mfa_generate_recovery_codes",
    "socialaccount_connections",
    # an invitation is opened from its e-mail
    "invitation_accept",
    # fragments and polls the pages load themselves
    "onboarding_uscc_check",
    "registry_import_progress",
    # the wizard's steps follow one another by its forms; a dispute is offered by the step
    # that finds the credit code taken
    "onboarding_dispute",
    "onboarding_step",
    # machine endpoints (load balancers, monitoring)
    "healthz",
    "healthz-ready",
    # an import's refused rows are linked when it refused some (the world's refused none)
    "registry_import_errors",
    # a file (the registrant's licence or letter), shown beside the identity review
    "identity_document",
    # a redirect to the product list
    "financing_bank_home",
    "zone_home",
}

#: Links the crawl never follows: they sign out, download, or change state.
SKIP = re.compile(
    r"/(logout|export|download|i18n)/|/export/|/evidence/\d+/$|/identity-documents/\d+/$|\.(csv|xlsx|pdf)$|^/admin/|^/api/"
)


#: Pages open to every signed-in user that a role has no use for: a staff account's own
#: enterprises page is empty (staff reach enterprises through their queues and lists); the
#: API tokens page only says why a member, a zone official or a platform admin holds no
#: token (the navigation links it for bank staff and registry officers); the schemes page
#: lists nothing for a member (who reaches a scheme through the loan's subsidy page) or a
#: registry officer.
NOT_FOR = {role: {"my_enterprises"} for role in ROLES if role != "member"}
for _role in ("member", "official", "admin"):
    NOT_FOR.setdefault(_role, set()).add("api_tokens")
for _role in ("member", "registry"):
    NOT_FOR.setdefault(_role, set()).add("funds:scheme_list")


def pages_of(role: str, world) -> dict[str, str]:
    """{path: URL name} of every page (GET, not the API, not an export) the matrix lets
    ``role`` open with a 200, resolved in the matrix's world."""
    routes = {name: route for name, route in all_patterns() if name in MATRIX}
    pages = {}
    for name, entry in MATRIX.items():
        route = routes.get(name, "")
        if entry.unsafe or route.startswith(("api/", "admin/")) or entry.expected(role) != 200:
            continue
        if "export" in name or "download" in name or name in NOT_LINKED:
            continue
        if name in NOT_FOR.get(role, ()):
            continue
        pages[world.url(name, entry)] = name
    return pages


def same_origin_links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    links = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != base or SKIP.search(parts.path):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _view_of(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name


def crawl(
    page: Page, base: str, *, depth: int = 3, per_view: int = 2, wanted=(), on_page=None
) -> dict[str, int]:
    """{path with query: depth} of every page reached from the home page by following links,
    breadth first, up to ``depth`` steps. A path is visited once whatever its query string,
    and at most ``per_view`` paths of one view (two enterprises' pages, not two hundred),
    besides the ``wanted`` paths, always followed. ``on_page(url)`` runs on each page once
    it is open."""
    seen = {"/": 0}
    paths_seen = {"/"}
    views: dict[str, int] = {}
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        page.goto(base + url)
        if on_page is not None:
            on_page(url)
        if seen[url] >= depth:
            continue
        for link in same_origin_links(page, base):
            path = urlsplit(link).path
            if link in seen or path in paths_seen:
                continue
            view = _view_of(path)
            if views.get(view, 0) >= per_view and path not in wanted:
                continue
            views[view] = views.get(view, 0) + 1
            seen[link] = seen[url] + 1
            paths_seen.add(path)
            queue.append(link)
    return seen


SIDEWAYS = """() => {
  const over = document.documentElement.scrollWidth - window.innerWidth;
  if (over <= 1) return [];
  // Name the elements sticking out beyond the viewport (outside a table's own scroller).
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.parentElement && el.parentElement.closest('.table-responsive')) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
    }
    if (clipped) continue;
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && r.width > 0) {
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
               (classes ? '.' + classes.split(/\\s+/).join('.') : '') +
               ' right=' + Math.round(r.right));
      if (out.length > 4) break;
    }
  }
  return out.length ? out : ['document ' + document.documentElement.scrollWidth + 'px'];
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' +
         v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def sideways(page: Page) -> list[str]:
    return page.evaluate(SIDEWAYS)


def load_axe(context: BrowserContext) -> None:
    """Have axe-core on every page the context opens, as an init script: compiled once and
    run as each page starts, instead of a 650 kB script tag sent into every page (half the
    crawl's axe time)."""
    context.add_init_script(path=str(AXE))


def axe_violations(page: Page) -> list[str]:
    """The page's serious and critical violations; the page's context needs ``load_axe``
    (without it ``axe`` is undefined and this raises)."""
    return page.evaluate(AXE_RUN)
