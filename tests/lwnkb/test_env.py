from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lwnkb.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_path,
    env_rate,
    env_str,
    env_url,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("off", False),
        ("", False),
        (" False ", False),
    ],
)
def test_it_reads_booleans(raw: str, expected: bool) -> None:
    assert env_bool("DEBUG", not expected, environ={"LWNKB_DEBUG": raw}) is expected


def test_it_refuses_a_boolean_it_cannot_read() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"LWNKB_DEBUG='yes please' is not a boolean"):
        env_bool("DEBUG", False, environ={"LWNKB_DEBUG": "yes please"})


def test_it_uses_defaults_when_unset() -> None:
    assert env_bool("DEBUG", True, environ={}) is True
    assert env_int("N", 7, environ={}) == 7
    assert env_str("S", "x", environ={}) == "x"
    assert env_list("L", ["a"], environ={}) == ["a"]


def test_it_checks_integer_bounds_and_names_the_variable() -> None:
    assert env_int("N", 1, minimum=0, environ={"LWNKB_N": " 42 "}) == 42
    with pytest.raises(ImproperlyConfigured, match="LWNKB_N='4x' is not a whole number"):
        env_int("N", 1, environ={"LWNKB_N": "4x"})
    with pytest.raises(ImproperlyConfigured, match="LWNKB_N=-1 is below the minimum of 0"):
        env_int("N", 1, minimum=0, environ={"LWNKB_N": "-1"})
    with pytest.raises(ImproperlyConfigured, match="above the maximum"):
        env_int("N", 1, maximum=5, environ={"LWNKB_N": "6"})


def test_it_refuses_negative_or_nan_floats() -> None:
    assert env_float("F", 1.0, environ={"LWNKB_F": "0.5"}) == 0.5
    for bad in ("-1", "nan", "fast"):
        with pytest.raises(ImproperlyConfigured, match="LWNKB_F"):
            env_float("F", 1.0, environ={"LWNKB_F": bad})


def test_it_splits_lists_and_refuses_empty_entries() -> None:
    assert env_list("HOSTS", [], environ={"LWNKB_HOSTS": "a.org, b.org"}) == ["a.org", "b.org"]
    with pytest.raises(ImproperlyConfigured, match="empty entry"):
        env_list("HOSTS", [], environ={"LWNKB_HOSTS": "a.org,,b.org"})


def test_it_accepts_only_urls_with_known_schemes() -> None:
    ok = env_url(
        "DATABASE_URL",
        "",
        schemes=("postgres",),
        environ={"LWNKB_DATABASE_URL": "postgres://u@h/db"},
    )
    assert ok == "postgres://u@h/db"
    with pytest.raises(ImproperlyConfigured, match="LWNKB_DATABASE_URL='mysql://h/db' must be"):
        env_url(
            "DATABASE_URL",
            "",
            schemes=("postgres",),
            environ={"LWNKB_DATABASE_URL": "mysql://h/db"},
        )


def test_it_restricts_choices() -> None:
    assert (
        env_choice("B", "whoosh", choices=("whoosh", "postgres"), environ={"LWNKB_B": "Postgres"})
        == "postgres"
    )
    with pytest.raises(ImproperlyConfigured, match="must be one of: whoosh, postgres"):
        env_choice("B", "whoosh", choices=("whoosh", "postgres"), environ={"LWNKB_B": "solr"})


def test_it_reads_secrets_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert env_str("SECRET_KEY", environ={"LWNKB_SECRET_KEY_FILE": str(secret)}) == "s3cret"
    with pytest.raises(ImproperlyConfigured, match="LWNKB_SECRET_KEY_FILE: cannot read"):
        env_str("SECRET_KEY", environ={"LWNKB_SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_it_resolves_paths(tmp_path: Path) -> None:
    assert env_path("DIR", Path("/x"), environ={"LWNKB_DIR": str(tmp_path)}) == tmp_path
    assert env_path("DIR", Path("/x"), environ={}) == Path("/x")


@pytest.mark.parametrize("raw", ["60/min", "10/s", "1000/hour", "5000/day", " 7/M "])
def test_it_reads_request_rates(raw: str) -> None:
    assert env_rate("API_RATE_ANON", "1/s", environ={"LWNKB_API_RATE_ANON": raw}) == (
        raw.strip().lower()
    )


def test_it_disables_a_rate_when_empty_and_uses_the_default_when_unset() -> None:
    assert env_rate("API_RATE_ANON", "60/min", environ={"LWNKB_API_RATE_ANON": ""}) is None
    assert env_rate("API_RATE_ANON", "60/min", environ={}) == "60/min"


@pytest.mark.parametrize("raw", ["60", "0/min", "60/fortnight", "ten/min", "-1/s", "60 / min"])
def test_it_refuses_a_rate_it_cannot_read(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"LWNKB_API_RATE_USER=.* is not a rate"):
        env_rate("API_RATE_USER", "600/min", environ={"LWNKB_API_RATE_USER": raw})
