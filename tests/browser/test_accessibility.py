"""axe-core on every page kind (tests/browser/pages.py), at desktop and phone widths, in
light and dark: no "serious" or "critical" violation anywhere."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.pages import AXE_SCRIPT, PAGES, SCHEMES, WIDTHS, open_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Inject the vendored axe-core and run it on the whole document."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    """Violations as lines a person can act on: rule, impact, help, the first elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
            f" - {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_it_finds_no_serious_accessibility_violation_on_any_page(
    browser: Any, sample_site: str, width: str, scheme: str
) -> None:
    report: list[str] = []
    for kind in PAGES:
        context = open_context(browser, sample_site, width=width, scheme=scheme, staff=kind.staff)
        page = context.new_page()
        response = page.goto(sample_site + kind.path)
        assert response is not None, kind.name
        assert response.status == 200, (kind.name, response.status)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (
            scheme == "dark"
        )
        bad = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
        if bad:
            report.append(describe(f"{kind.name} ({width}, {scheme})", bad))
        context.close()
    assert not report, "axe-core found serious or critical violations:\n" + "\n".join(report)


def test_it_fails_on_a_page_with_a_serious_violation(browser: Any, live_server: Any) -> None:
    """The check itself can fail: grey on white and an image without text are caught."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><p style="color:#ccc;background:#fff">'
        'faint text</p><img src="data:,"></main></html>'
    )
    ids = {v["id"] for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS}
    context.close()
    assert {"color-contrast", "image-alt"} <= ids
