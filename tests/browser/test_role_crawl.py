"""Each role, in Chinese and English, at 1366 px and 390 px wide: from the home page, following
only links, reaches every page the permission matrix lets it open within three steps; no page
scrolls sideways at 390 px (a wide table scrolls inside its own ``.table-responsive``); no
console error and no broken link; axe-core (vendored from its npm package,
tests/browser/vendor/) reports no serious or critical violation.

The crawl walks breadth first at 1366 px; each page it reaches is checked there, then the
window is narrowed to 390 px (as a phone turned upright or a window dragged narrow: the
charts and scroll regions follow the resize) and checked again, then widened for the next
link: every page is opened once per language instead of once per language and width (the
crawl took a fifth of the suite's time). axe runs on every page once per width, in Chinese
at 1366 px and in English at 390 px (loaded as an init script).
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.worlds.browser import sign_in_as
from tests.worlds.crawl import ROLES, axe_violations, crawl, load_axe, pages_of, sideways
from tests.worlds.permission_matrix.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
#: (language, axe at 1366 px, axe at 390 px)
LANGUAGES = [("zh-hans", True, False), ("en", False, True)]


def _context(browser, live_server, user, language, viewport, axe):
    context = browser.new_context(
        viewport=viewport,
        locale="zh-CN" if language == "zh-hans" else "en-US",
        timezone_id="Asia/Shanghai",
        # axe is injected as a script the pages' Content-Security-Policy would refuse.
        bypass_csp=True,
    )
    if axe:
        load_axe(context)
    sign_in_as(context, live_server, user)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{page.url}: console {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))

    def bad_status(response):
        same = response.url.startswith(live_server.url)
        if same and response.request.resource_type == "document" and response.status >= 400:
            problems.append(f"{response.url}: HTTP {response.status}")

    page.on("response", bad_status)
    return context, page, problems


#: Wait two frames: the resize handlers (charts, scroll regions) have run and the page is
#: laid out again at the new width.
SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_its_pages_readable_on_a_phone_and_accessible(
    role, browser, live_server, django_capture_on_commit_callbacks
):
    world = World(django_capture_on_commit_callbacks)
    user = world.users[role]
    expected = pages_of(role, world)
    problems: list[str] = []
    for language, axe_wide, axe_phone in LANGUAGES:
        context, page, seen_problems = _context(
            browser, live_server, user, language, WIDE, axe_wide or axe_phone
        )

        def check(url, page=page, language=language, axe_wide=axe_wide, axe_phone=axe_phone):
            if axe_wide:
                problems.extend(f"[{language} 1366] {url}: {v}" for v in axe_violations(page))
            page.set_viewport_size(PHONE)
            page.evaluate(SETTLED)
            problems.extend(f"[{language} 390] {url} scrolls sideways: {s}" for s in sideways(page))
            if axe_phone:
                problems.extend(f"[{language} 390] {url}: {v}" for v in axe_violations(page))
            page.set_viewport_size(WIDE)

        reached = crawl(page, live_server.url, wanted=set(expected), on_page=check)
        paths = {urlsplit(url).path for url in reached}
        missing = sorted(f"{name} {path}" for path, name in expected.items() if path not in paths)
        problems += [f"[{language}] not reached from home within 3 links: {m}" for m in missing]
        problems += [f"[{language}] {p}" for p in seen_problems]
        context.close()
    assert problems == [], "\n".join(problems)
