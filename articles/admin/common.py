"""Helpers shared by the admin modules."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

RAW_PREVIEW_LIMIT = 200_000


def preview(text: str) -> SafeString:
    clipped = text[:RAW_PREVIEW_LIMIT]
    note = (
        ""
        if len(text) <= RAW_PREVIEW_LIMIT
        else f"\n… ({len(text) - RAW_PREVIEW_LIMIT} more characters)"
    )
    return format_html(
        '<pre style="max-height:30em;overflow:auto;white-space:pre-wrap">{}{}</pre>', clipped, note
    )
