"""``make screenshots``: a PNG of every page kind (tests/browser/pages.py) in docs/screenshots/.

Run through pytest (``python -m tests.run_suite tests/browser/screenshots.py``) so the
pages come from the same live server and sample data as the browser tests; the file is
not named ``test_*`` so the suite does not rewrite the committed pictures on every run.
Desktop pictures are 1280 px wide, light and dark; phone pictures 360 px. A page marked
``long`` keeps to its first screens, the rest are whole pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.pages import PAGES, open_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# A long page's picture: the first screens, not a 20,000-pixel strip.
LONG_CLIP_HEIGHT = {"desktop": 1200, "phone": 1600}
SHOTS = (("desktop", "light"), ("desktop", "dark"), ("phone", "light"))


def shot_name(kind: str, width: str, scheme: str) -> str:
    return f"{kind}-{width}.png" if scheme == "light" else f"{kind}-{width}-{scheme}.png"


@pytest.mark.parametrize(("width", "scheme"), SHOTS)
def test_it_writes_a_screenshot_of_every_page_kind(
    browser: Any, sample_site: str, width: str, scheme: str
) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for kind in PAGES:
        context = open_context(browser, sample_site, width=width, scheme=scheme, staff=kind.staff)
        page = context.new_page()
        response = page.goto(sample_site + kind.path)
        assert response is not None
        assert response.status == 200, (kind.name, response.status)
        path = OUT / shot_name(kind.name, width, scheme)
        if kind.long:
            size = page.viewport_size
            clip = {"x": 0, "y": 0, "width": size["width"], "height": LONG_CLIP_HEIGHT[width]}
            page.screenshot(path=str(path), full_page=True, clip=clip)
        else:
            page.screenshot(path=str(path), full_page=True)
        context.close()
        assert path.stat().st_size > 1000, path
