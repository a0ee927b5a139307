"""The production compose file is valid and complete (no Docker engine runs here)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CELERY_WORKER = ["celery", "-A", "lwnkb", "worker"]


def test_it_validates_the_compose_file_against_the_compose_specification() -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(ROOT / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_defines_every_production_service_with_healthchecks_and_volumes() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ("web", "worker", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in services["web"]["command"]
    assert services["web"]["environment"]["LWNKB_DEBUG"] == "false"
    assert {"postgres-data", "lwnkb-data"} <= set(compose["volumes"])
    assert any("postgresql/data" in v for v in services["db"]["volumes"])
    assert services["web"]["environment"]["LWNKB_INDEX_DIR"].startswith("/data")


def test_it_defines_a_multihost_profile_of_two_web_and_two_worker_containers() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    profiled = {name: s for name, s in services.items() if "multihost" in s.get("profiles", [])}
    web = {n for n, s in profiled.items() if "gunicorn" in s.get("command", [])}
    workers = {n for n, s in profiled.items() if s.get("command", [])[:4] == CELERY_WORKER}
    assert len(web) == 2, profiled.keys()
    assert len(workers) == 2, profiled.keys()
    # One beat for the whole site, or every schedule would fire once per beat.
    beats = [n for n, s in profiled.items() if "beat" in s.get("command", [])]
    assert len(beats) == 1, beats
    # The single-host services stay out of the profile; db and redis are shared by both.
    assert not {"web", "worker", "beat", "db", "redis"} & set(profiled)
    ports = set()
    for name in web | workers:
        service = profiled[name]
        env = service["environment"]
        assert env["LWNKB_SEARCH_BACKEND"] == "postgres", name
        assert env["LWNKB_DATABASE_URL"].endswith("@db:5432/lwnkb"), name
        assert env["LWNKB_BROKER_URL"] == "redis://redis:6379/0", name
        assert env["LWNKB_CACHE_URL"].startswith("redis://redis:6379/"), name
        assert env["LWNKB_DEBUG"] == "false", name
        assert "healthcheck" in service, name
        assert "migrate-multihost" in service["depends_on"], name
        ports.update(service.get("ports", []))
    assert len(ports) == 2  # each web container answers on a port of its own
    migrate = services["migrate-multihost"]
    assert migrate["environment"]["LWNKB_SEARCH_BACKEND"] == "postgres"
    assert migrate["command"][-2:] == ["migrate", "--no-input"]


def test_it_gives_no_two_multihost_containers_a_shared_data_or_index_volume() -> None:
    """Each host keeps its own /data, as separate machines would: nothing is shared on disk."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    profiled = [s for s in compose["services"].values() if "multihost" in s.get("profiles", [])]
    sources: list[str] = []
    for service in profiled:
        mounts = [v.split(":") for v in service["volumes"]]
        assert any(target == "/data" for _, target in mounts)
        assert service["environment"]["LWNKB_INDEX_DIR"].startswith("/data")
        sources += [source for source, _ in mounts]
    assert len(sources) == len(set(sources)), sources
    assert "lwnkb-data" not in sources  # the single-host index volume
    assert set(sources) <= set(compose["volumes"])


def test_it_documents_how_to_start_the_multihost_profile() -> None:
    """The README's command names the profile's containers, so the single-host ones stay down."""
    readme = (ROOT / "README.md").read_text()
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    profiled = {n for n, s in compose["services"].items() if "multihost" in s.get("profiles", [])}
    command = next(
        line
        for line in readme.splitlines()
        if line.startswith("docker compose --profile multihost")
    )
    named = {word for word in command.split(" up ", 1)[1].split() if not word.startswith("-")}
    assert named <= profiled
    assert {"web-1", "web-2", "worker-1", "worker-2", "beat-multihost"} <= named


GUNICORN_CONFIG = ["-c", "python:lwnkb.gunicorn_conf"]


def _gunicorn_commands() -> dict[str, list[str]]:
    """Every gunicorn command shipped: the Dockerfile's CMD and compose's web services."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    commands = {
        name: service["command"]
        for name, service in compose["services"].items()
        if "gunicorn" in service.get("command", [])
    }
    cmd = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")
    )
    commands["Dockerfile"] = json.loads(cmd.removeprefix("CMD "))
    return commands


def test_every_shipped_gunicorn_uses_the_lwnkb_gunicorn_settings() -> None:
    """They make forwarded headers follow LWNKB_BEHIND_TLS_PROXY and refuse unshared limits."""
    commands = _gunicorn_commands()
    assert {"web", "web-1", "web-2", "Dockerfile"} <= set(commands)
    for name, command in commands.items():
        assert command[1:3] == GUNICORN_CONFIG, name


def test_the_image_and_compose_count_limits_in_redis() -> None:
    """Several workers on a per-process cache would multiply every rate limit."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^\s+LWNKB_CACHE_URL=redis://", dockerfile, re.MULTILINE)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        if "gunicorn" in service.get("command", []):
            env = service["environment"]
            assert env["LWNKB_CACHE_URL"].startswith("redis://redis:6379/"), name
