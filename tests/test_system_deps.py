"""``make system-deps`` (.ci/system-deps): what the suite needs beyond Python."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "system-deps"
BASH = shutil.which("bash") or "/bin/bash"


def run_check(*, path: Path, chromium: Path) -> subprocess.CompletedProcess[str]:
    """The script's check-only path (as for a user without root), on a PATH of our own."""
    env = {
        "PATH": str(path),
        "LWNKB_CHROMIUM": str(chromium),
        "LWNKB_SYSTEM_DEPS_CHECK_ONLY": "true",
    }
    return subprocess.run(
        [BASH, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30, check=False
    )


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


def executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def test_it_names_a_missing_wrk_and_the_command_that_installs_it(
    bin_dir: Path, tmp_path: Path
) -> None:
    chromium = executable(tmp_path / "chromium")
    done = run_check(path=bin_dir, chromium=chromium)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "system-deps: missing wrk " in done.stderr
    assert "Install with:  sudo apt-get update && sudo apt-get install -y wrk\n" in done.stderr
    assert "chromium" not in done.stderr.split("Install with:")[1]


def test_it_lists_every_missing_package_in_one_message(bin_dir: Path, tmp_path: Path) -> None:
    done = run_check(path=bin_dir, chromium=tmp_path / "no-chromium-here")
    assert done.returncode == 1
    assert "system-deps: missing chromium wrk " in done.stderr
    assert "sudo apt-get install -y chromium wrk\n" in done.stderr
    assert done.stderr.count("system-deps:") == 1


def test_it_passes_quietly_when_nothing_is_missing(bin_dir: Path, tmp_path: Path) -> None:
    executable(bin_dir / "wrk")
    done = run_check(path=bin_dir, chromium=executable(tmp_path / "chromium"))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_make_test_checks_the_system_packages_before_anything_else() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "\ntest: system-deps install\n" in makefile
    assert "\nsystem-deps:\n\t@.ci/system-deps\n" in makefile
    assert os.access(SCRIPT, os.X_OK)
    assert "make system-deps" in (ROOT / ".ci" / "run").read_text()
