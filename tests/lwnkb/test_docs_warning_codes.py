"""docs/importing.md lists every parse warning code the parser can give, and no other."""

from __future__ import annotations

import re

from articles.lwn import WARNING_CODES
from tests.lwnkb.test_docs import DOCS, read, table_first_cells


def documented_codes() -> set[str]:
    """The codes in the first cells of the "## Parse warnings" tables of importing.md."""
    text = read(DOCS / "importing.md")
    section = re.search(r"^## Parse warnings\n(.*?)(?=^### |^## |\Z)", text, flags=re.M | re.S)
    assert section, 'docs/importing.md has no "## Parse warnings" section'
    return set(re.findall(r"`([a-z0-9-]+)`", table_first_cells(section.group(1))))


def test_it_documents_every_parse_warning_code() -> None:
    missing = [code for code in WARNING_CODES if code not in documented_codes()]
    rows = "\n".join(f"| `{code}` | {WARNING_CODES[code]} |" for code in missing)

    assert missing == [], f"add these rows to the codes table of docs/importing.md:\n{rows}"


def test_it_documents_no_code_the_parser_does_not_have() -> None:
    assert sorted(documented_codes() - set(WARNING_CODES)) == []
