"""The sample site every page-kind check visits (tests/browser/pages.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.pages import load_samples


@pytest.fixture
def sample_site(live_server: Any, tmp_path: Any, settings: Any) -> str:
    """The live server with the sample pages imported and indexed."""
    settings.INDEX_DIR = tmp_path / "index"
    load_samples()
    return str(live_server.url)
