"""The permission matrix's world, shared by its table modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from tests.security.matrix import World, make_world


@pytest.fixture
def fast_passwords() -> Iterator[None]:
    """Personas are created per test; the production hasher would cost most of the run."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def world(fast_passwords: None, db: None, staff: User) -> World:
    return make_world(staff)
