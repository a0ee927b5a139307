"""The load tests need wrk; outside CI they skip without it, in CI they fail."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import IN_CI


@pytest.fixture
def wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        if IN_CI:
            pytest.fail("wrk is not installed: `make system-deps` installs it")
        pytest.skip("wrk is not installed (`make system-deps`, or apt-get install wrk)")
    return path
