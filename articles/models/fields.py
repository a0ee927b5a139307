"""``SanitizedHTMLField``: a text column that only ever holds sanitised HTML.

Every write through the ORM (``save()``, ``create``, ``bulk_create``,
``bulk_update``, ``QuerySet.update``, admin forms) passes the value through
``html_sanitize`` on its way to the database, so a write path added later —
or a curator pasting a page into admin — cannot store markup the templates
would serve raw (they render these fields as HTML). The import writes the same
sanitised strings it compares against (``page_sanitize``), and a value the
sanitizer produced is not cleaned twice (``CleanHTML``).

Forms also refuse a value nested deeper than ``MAX_DEPTH`` with a clear
message rather than storing its flattened text.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from articles.lwn.depth import MAX_DEPTH
from articles.lwn.sanitize import html_sanitize, html_too_deep


def html_depth_validate(value: str) -> None:
    """Refuse HTML nested deeper than any real page (``MAX_DEPTH``)."""
    if value and "<" in value and (depth := html_too_deep(value)) is not None:
        raise ValidationError(
            "This HTML nests elements more than %(limit)d deep (at least %(depth)d levels).",
            code="html_too_deep",
            params={"limit": MAX_DEPTH, "depth": depth},
        )


class SanitizedHTMLField(models.TextField[Any, Any]):
    """A ``TextField`` whose writes are sanitised with the import's allowlist."""

    default_validators = [html_depth_validate]

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return str(html_sanitize(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        # The instance keeps what was stored, so a form or a caller sees the clean value.
        value = getattr(model_instance, self.attname)
        if value is not None:
            value = html_sanitize(value)
            setattr(model_instance, self.attname, value)
        return value
