"""Pure-Python parser for LWN.net pages: bytes in, typed dataclasses out.

No Django here: the ingest services call ``parse_page`` and store the result.
"""

from __future__ import annotations

from .parse import parse_page
from .serialize import PARSER_VERSION, to_json_dict
from .types import (
    FrontPageItem,
    HardwareCategory,
    LWNParseError,
    MergeWindow,
    MergeWindowGroup,
    ParsedComment,
    ParsedItem,
    ParsedPage,
)
from .warnings import CODES as WARNING_CODES
from .warnings import ParseWarning, Warnings

__all__ = [
    "PARSER_VERSION",
    "WARNING_CODES",
    "FrontPageItem",
    "HardwareCategory",
    "LWNParseError",
    "MergeWindow",
    "MergeWindowGroup",
    "ParseWarning",
    "ParsedComment",
    "ParsedItem",
    "ParsedPage",
    "Warnings",
    "parse_page",
    "to_json_dict",
]
