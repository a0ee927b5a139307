"""Parsed queries → whoosh queries, and the filters every search adds.

Words that read as kernel identifiers search only the identifier fields, so
they match exactly; other words search the stemmed title and body. With
``title_only`` (subscriber-only texts, for readers who may not see them yet)
text searches the title fields alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh.query.compound import DefaultOr

from articles.search.analysis import identifier_form, name_terms, prose_phrase
from articles.search.query import Exact, Node, ParsedQuery, Prefix, Range, Text
from articles.search.whoosh.internals.boosted import TitleBoosted
from articles.search.whoosh.internals.docsets import Without
from articles.search.whoosh.internals.either import Either
from articles.search.whoosh.internals.locked import LockedOn
from articles.search.whoosh.internals.phrases import VerifiedPhrase, phrase_query
from articles.search.whoosh.internals.prefixes import preloaded_union

MAX_PREFIX_TERMS = 500

# The body and identifier fields also index the title (see fields.whoosh_fields), so
# "anywhere" is one field: one posting list per word instead of a title/body union.
_PROSE_FIELDS = {"any": "body", "title": "title"}
_IDENT_FIELDS = {"any": "ident", "title": "title_ident"}
_NAME_FIELDS = {"author": "authors", "section": "section_text"}


class BoundedPrefix(wq.Prefix):
    """A prefix query that expands to at most ``MAX_PREFIX_TERMS`` terms.

    ``ke*`` on a large archive would otherwise OR together thousands of terms.
    """

    def _btexts(self, ixreader: Any) -> Iterator[bytes]:
        return islice(super()._btexts(ixreader), MAX_PREFIX_TERMS)

    PRELOAD = True  # tests turn it off to compare with whoosh's tree of unions

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        """The terms' union, each match scored the sum of its terms' scores: in one
        pass (``internals.prefixes``) where the searcher is one segment's, as the
        collector's are; otherwise whoosh's tree of unions, scored the same way."""
        texts = [t for t in self._btexts(searcher.reader()) if t]
        if len(texts) < 2:
            return super().matcher(searcher, context)
        weighting = (context.weighting if context else None) or searcher.weighting
        if self.PRELOAD and searcher.is_atomic():
            found = preloaded_union(
                searcher, self.fieldname, texts, boost=self.boost, weighting=weighting
            )
            if found is not None:
                return found
        # Not whoosh's Prefix.matcher: under 5,000 documents it scores every match 1.
        terms = [wq.Term(self.fieldname, text) for text in texts]
        scored = context.set(weighting=weighting) if context else None
        return DefaultOr(terms, boost=self.boost).matcher(searcher, scored)


def _or(queries: list[Any]) -> Any:
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _and(queries: list[Any]) -> Any:
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _terms_query(field: str, terms: list[tuple[str, int]]) -> Any:
    """One term, or a phrase of (term, offset) pairs."""
    if not terms:
        return None
    if len(terms) == 1:
        return wq.Term(field, terms[0][0])
    return phrase_query(field, terms)


def _text_terms(node: Text) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """Which fields a text node searches (identifier or prose), and its terms there."""
    ident = identifier_form(node.text)
    if ident is not None and (not node.phrase or " " not in node.text.strip()):
        return _IDENT_FIELDS, [(ident, 0)]
    return _PROSE_FIELDS, prose_phrase(node.text)


def _text(node: Text, *, title_only: bool) -> Any:
    if node.field in _NAME_FIELDS:
        # Every word of the name, not a phrase: names are short, and a phrase query
        # would read positions for every document with a common first name.
        return _and([wq.Term(_NAME_FIELDS[node.field], t) for t in name_terms(node.text)])
    fields, terms = _text_terms(node)
    return _terms_query(fields["title" if title_only else node.field], terms)


def _title_boost(node: Node) -> Any:
    if isinstance(node, Text) and node.field == "any":
        fields, terms = _text_terms(node)
        # The words, not the phrase: a boost need not check positions in every title.
        return _and([wq.Term(fields["title"], term) for term, _offset in terms])
    return None


def _prefix(node: Prefix, *, title_only: bool) -> Any:
    if node.field == "entity":
        return BoundedPrefix("entities", node.text)
    if node.field in _NAME_FIELDS:
        return BoundedPrefix(_NAME_FIELDS[node.field], node.text)
    scope = "title" if title_only else node.field
    fields = (_PROSE_FIELDS[scope], _IDENT_FIELDS[scope])
    return _or([BoundedPrefix(f, node.text) for f in fields])


def _range(node: Range) -> Any:
    if node.field == "date":
        low = node.low if isinstance(node.low, dt.date) else None
        high = node.high if isinstance(node.high, dt.date) else None
        return _days(low, high)
    return wq.NumericRange(
        node.field, node.low, node.high, startexcl=node.low_excl, endexcl=node.high_excl
    )


def _days(low: dt.date | None, high: dt.date | None) -> Any:
    """Dates are indexed as day numbers (``date.toordinal()``); both ends inclusive."""
    return wq.NumericRange(
        "day", low.toordinal() if low else None, high.toordinal() if high else None
    )


def compile_node(node: Node, *, title_only: bool = False) -> Any:
    if isinstance(node, Text):
        return _text(node, title_only=title_only)
    if isinstance(node, Prefix):
        return _prefix(node, title_only=title_only)
    if isinstance(node, Exact):
        return wq.Term("entities" if node.field == "entity" else node.field, node.value)
    return _range(node)


def compile_positive(parsed: ParsedQuery, *, title_only: bool = False) -> Any:
    """The clauses that must match, or None when nothing searchable is left.

    Matches in titles rank higher: one AndMaybe over the whole query looks at the
    titles of documents that already match, so it costs little.
    """
    clauses = parsed.positive
    found = _and(
        [_or([compile_node(n, title_only=title_only) for n in c.alternatives]) for c in clauses]
    )
    if found is None or title_only:
        return found
    boost = _or([_title_boost(n) for c in clauses for n in c.alternatives])
    return found if boost is None else TitleBoosted(found, boost)


def compile_excluded(parsed: ParsedQuery, *, title_only: bool = False) -> Any:
    return _or([compile_node(c.alternatives[0], title_only=title_only) for c in parsed.excluded])


def filter_query(
    *,
    doc_type: str = "",
    release: str = "",
    section: str = "",
    author: str = "",
) -> Any:
    """Exact facet filters (the values facet links and API parameters carry).

    Dates are checked against the ``day`` column instead (``internals.facet_columns.ColumnRange``).
    """
    parts: list[Any] = []
    if doc_type:
        parts.append(wq.Term("type", doc_type))
    if release:
        parts.append(wq.Term("release", release))
    if section:
        parts.append(wq.Term("section", section))
    if author:
        parts.append(wq.Term("author", author))
    return _and(parts)


def without(query: Any, excluded: Any) -> Any:
    """``query`` minus what ``excluded`` matches (see ``docsets.Without``).

    Not ``wq.AndNot``: its matcher keeps the first match when the excluded
    postings start earlier (whoosh 2.7), which ``docs()`` and counts then report.
    """
    return Without(query, excluded)


def locked_query(today: dt.date) -> Any:
    """Texts still behind the paywall on ``today`` (free date after today)."""
    return LockedOn(today)


def visible_query(full: Any, title_only: Any, *, today: dt.date) -> Any:
    """What a reader without the subscriber permission may find.

    Unlocked texts match as usual; locked articles match on their title only;
    everything else under a locked article (comments, merge items, devices) stays hidden.
    """
    locked = locked_query(today)
    allowed = without(full, locked)
    if title_only is None:
        return allowed
    return Either([allowed, wq.And([title_only, locked, wq.Term("type", "article")])])


def matched_terms(query: Any, reader: Any) -> Iterator[tuple[str, str]]:
    """(field, term) pairs a query looks for, prefixes expanded; for highlighting."""
    if query is None:
        return
    for leaf in query.leaves():
        if isinstance(leaf, (wq.Phrase, VerifiedPhrase)):
            for word in leaf.words:
                yield leaf.fieldname, word
        elif isinstance(leaf, wq.Prefix):
            for raw in leaf._btexts(reader):
                yield leaf.fieldname, raw.decode("utf-8")
        elif isinstance(leaf, wq.Term):
            yield leaf.fieldname, str(leaf.text)
