"""Reading whoosh postings a block at a time (whoosh 2.7's W3 codec).

Walking a matcher posting by posting costs about a microsecond each in
Python; the codec already decodes whole blocks, so reading those directly is
many times faster. Used to count matches (``docsets``) and check phrases
(``phrases``). Other codecs go through the generic, slower matcher API.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

_INT_SIZE = 4  # a Positions value: a uint count, then the pickled deltas


def _postings(reader: Any, field: str, text: Any) -> tuple[Any, frozenset[int]]:
    """A term's raw postings matcher and the segment's deleted documents."""
    postings = reader.postings(field, text)
    if isinstance(postings, FilterMatcher):  # the segment has deleted documents
        return postings.child, reader.deleted_docs_set
    return postings, frozenset()


def _blocks(matcher: Any, *, values: bool) -> Iterator[tuple[Sequence[int], Sequence[Any]]]:
    """(ids, values) of each remaining block; values are empty unless asked for."""
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if values and matcher._values is None:
            matcher._read_values()
        start = matcher._i
        yield matcher._ids[start:], (matcher._values[start:] if values else ())
        matcher._next_block()


def term_docs(reader: Any, field: str, text: Any) -> set[int]:
    """Segment-local documents holding ``text`` in ``field`` (deleted ones left out)."""
    if (field, text) not in reader:
        return set()
    matcher, deleted = _postings(reader, field, text)
    if not isinstance(matcher, W3LeafMatcher):
        return set(matcher.all_ids()) - deleted
    docs: set[int] = set()
    for ids, _values in _blocks(matcher, values=False):
        docs.update(ids)
    return docs - deleted


def term_values(
    reader: Any, field: str, text: Any, wanted: Collection[int] | None = None
) -> dict[int, bytes]:
    """The raw posting values (e.g. positions) of ``text``, in ``wanted`` documents only."""
    if (field, text) not in reader:
        return {}
    matcher, deleted = _postings(reader, field, text)
    if not isinstance(matcher, W3LeafMatcher):
        found: dict[int, bytes] = {}
        while matcher.is_active():
            found[matcher.id()] = matcher.value()
            matcher.next()
    else:
        found = {
            doc: value
            for ids, values in _blocks(matcher, values=True)
            for doc, value in zip(ids, values, strict=True)
        }
    keep = found.keys() - deleted if wanted is None else (found.keys() & wanted) - deleted
    return {doc: found[doc] for doc in keep}


def positions(value: bytes) -> list[int]:
    """Decode a Positions value as whoosh's ``Positions.decode_positions`` does."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(loads(value[_INT_SIZE:])))  # noqa: S301 (our own index data)
