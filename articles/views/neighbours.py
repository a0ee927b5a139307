"""Previous/next links shared by the edition, article and release pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Neighbour:
    url: str
    label: str


def neighbour(name: str, key: object, label: object) -> Neighbour | None:
    """A link to the page ``name`` of ``key``, or None when there is no key."""
    if key is None:
        return None
    return Neighbour(url=reverse(f"articles:{name}", args=[key]), label=str(label))
