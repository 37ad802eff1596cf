"""The crawl's accessibility check can fail: axe-core, loaded into a context as an init
script (``tests/worlds/crawl.py``), reports a serious violation on a page that has one, and
without it the check raises instead of passing."""

import pytest
from playwright.sync_api import Error

from tests.worlds.crawl import axe_violations, load_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGE = '<html lang="en"><title>t</title><body><main><img src="x.png"></main></body></html>'


def test_axe_reports_an_image_without_text_and_a_clean_page_passes(browser):
    context = browser.new_context(bypass_csp=True)
    load_axe(context)
    page = context.new_page()
    page.goto("data:text/html," + PAGE)
    assert any(v.startswith("image-alt (critical)") for v in axe_violations(page))
    page.goto("data:text/html," + PAGE.replace('<img src="x.png">', "<p>text</p>"))
    assert axe_violations(page) == []
    context.close()


def test_without_axe_loaded_the_check_raises(browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto("data:text/html," + PAGE)
    with pytest.raises(Error, match="axe"):
        axe_violations(page)
    context.close()
