"""In a real browser, no payload runs: no dialog opens and the canary stays unset.

Chromium loads every page of the hostile archive (``hostile_site``) from the
live test server, plus the browsable API, with the Content Security Policy
*bypassed*: the policy is a second line of defence, and this test is about
the first (escaping and sanitising). After each load it asks the browser's
own DOM, the one that matters for mutation XSS, for event-handler attributes,
foreign scripts, frames and ``javascript:`` links.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.browser_fixtures import screenshot
from tests.security.hostile_site import THREAD_ID, HostileSite, build
from tests.security.xss_payloads import CANARY

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the parsed page holds that could run: answered by the browser itself.
DOM_PROBLEMS = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) problems.push(`${el.tagName} ${attr.name}`);
    }
    if (el.tagName === 'SCRIPT' && el.type !== 'application/json'
        && !(el.src && new URL(el.src).pathname.startsWith('/static/'))) {
      problems.push('script ' + el.outerHTML.slice(0, 80));
    }
    if (['IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName)) {
      problems.push(el.tagName);
    }
    // SVG only as the site's own charts (articles/charts/; markup.py checks their shape).
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml'
        && !el.closest('figure.chart-figure > svg.chart')) {
      problems.push('foreign ' + el.tagName);
    }
    for (const name of ['href', 'src', 'action', 'formaction']) {
      // An SVG link's href is an object; its attribute is the address.
      const value = typeof el[name] === 'string' ? el[name] : el.getAttribute(name);
      if (typeof value === 'string' && /^(javascript|vbscript|data):/i.test(value)) {
        problems.push(`${el.tagName} ${name}=${value.slice(0, 40)}`);
      }
    }
  }
  return problems;
}"""


def record_dialogs(page: Any) -> list[str]:
    """Messages of every dialog the page opens (each dismissed at once)."""
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


@pytest.fixture
def hostile(live_server: Any) -> tuple[str, HostileSite]:
    return str(live_server.url), build()


def _staff_cookie(staff: User, base: str) -> dict[str, str]:
    client = Client()
    client.force_login(staff)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": base}


def test_it_runs_no_payload_on_any_page(
    browser: Any, hostile: tuple[str, HostileSite], staff: User
) -> None:
    base, site = hostile
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    context.add_cookies([_staff_cookie(staff, base)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs = record_dialogs(page)

    urls = site.pages + site.staff_pages + site.api[:12] + site.staff_api[:2]
    problems: dict[str, list[str]] = {}
    canaries: list[str] = []
    for url in urls:
        response = page.goto(base + url, wait_until="load")
        assert response is not None, url
        assert response.status == 200, url
        # Give an event that fires after load (an image error, a focus) its chance.
        page.wait_for_timeout(30)
        if page.evaluate(f"typeof window.{CANARY} !== 'undefined'"):
            canaries.append(url)
        found = page.evaluate(DOM_PROBLEMS)
        if found:
            problems[url] = found
        if url == f"/articles/{THREAD_ID}/":
            screenshot(page, "xss-every-payload")
    context.close()

    assert dialogs == []
    assert canaries == []
    assert problems == {}
    assert len(urls) > 60  # every page type, every hostile article


def test_the_canary_would_catch_a_payload_that_ran(browser: Any, live_server: Any) -> None:
    """The probe itself works: a page that does run a payload is caught."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs = record_dialogs(page)
    page.goto(str(live_server.url) + "/")
    page.set_content(
        f"<img src=x onerror='window.{CANARY}=1'><a href='javascript:alert(1)'>x</a>"
        "<script>alert('ran')</script>"
    )
    page.wait_for_timeout(100)
    assert page.evaluate(f"window.{CANARY}") == 1
    assert dialogs == ["ran"]
    found = page.evaluate(DOM_PROBLEMS)
    assert any("onerror" in problem for problem in found)
    assert any("javascript:" in problem for problem in found)
    context.close()
