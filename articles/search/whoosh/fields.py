"""Index documents → the field values the whoosh schema stores and indexes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from articles.search.documents import IndexDocument
from articles.search.query import release_key
from articles.search.whoosh.schema import FACET_SEPARATOR

# Subscriber-only texts without a known free date stay locked "for ever".
_NEVER = dt.date.max.toordinal()


def document_key(doc_type: str, pk: int) -> str:
    return f"{doc_type}:{pk}"


_WORD = re.compile(r"[^\W\d_]{3,30}")


class Vocabulary:
    """The words a writer session has not indexed for spelling suggestions yet.

    The suggestion index only needs each word once, not once per document, so
    a rebuild writes a few hundred thousand postings instead of tens of
    millions. ``limit`` bounds the memory of a very long session.
    """

    def __init__(self, limit: int = 1_000_000) -> None:
        self.seen: set[str] = set()
        self.limit = limit

    def new_words(self, text: str) -> str | None:
        if len(self.seen) >= self.limit:
            return None
        words = set(_WORD.findall(text.lower())) - self.seen
        if not words:
            return None
        self.seen |= words
        return " ".join(words)


def whoosh_fields(doc: IndexDocument, vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The field values whoosh stores for ``doc``; None values are left out."""
    authors = [a for a in doc.get("authors", ()) if a]
    day = doc.get("date")
    release = doc.get("release", "")
    section = doc.get("section", "")
    free_on = doc.get("free_on")
    locked_until = None
    if doc.get("subscriber_only"):
        locked_until = free_on.toordinal() if free_on else _NEVER
    article_id, edition_id = doc.get("article_id"), doc.get("edition_id")
    fields: dict[str, Any] = {
        "key": document_key(doc["type"], doc["pk"]),
        "type": doc["type"],
        "pk": doc["pk"],
        "lwn_id": doc.get("lwn_id"),
        "article_lwn_id": doc.get("article_lwn_id"),
        "url": doc.get("url", ""),
        "article_id": str(article_id) if article_id is not None else None,
        "edition_id": str(edition_id) if edition_id is not None else None,
        "title": doc["title"],
        "title_ident": doc["title"],
        # Body and identifiers index the title too, so a search anywhere reads one
        # field; the stored body (for snippets) stays the body alone.
        "body": f"{doc['title']}\n{doc['body']}",
        "_stored_body": doc["body"],
        "pairs": f"{doc['title']}\n{doc['body']}",
        "ident": f"{doc['title']}\n{doc['body']}",
        "vocab": vocabulary.new_words(doc["body"]) if vocabulary is not None else None,
        "authors": ", ".join(authors) or None,
        "author": ",".join(a.replace(",", " ") for a in authors) or None,
        "author_names": authors,
        "author_facet": FACET_SEPARATOR.join(authors).encode(),
        "section": section or None,
        "section_text": section or None,
        "release": release or None,
        "release_key": release_key(release) if release else None,
        "date": day.isoformat() if day else None,
        "day": day.toordinal() if day else None,
        "year": str(day.year) if day else None,
        "entities": ",".join(e.replace(",", " ") for e in doc.get("entities", ()) if e) or None,
        "locked_until": locked_until,
        "subscriber_only": bool(doc.get("subscriber_only")),
        "free_on": free_on.isoformat() if free_on else None,
    }
    return {name: value for name, value in fields.items() if value is not None}
