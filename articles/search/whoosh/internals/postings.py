"""Reading whoosh postings a block at a time (whoosh 2.7's W3 codec internals).

Walking a matcher posting by posting costs about a microsecond each in Python;
the codec already decodes whole blocks, so reading those directly is many times
faster. Used to count matches (``docsets``), check phrases (``phrases``) and score
prefixes (``prefixes``).
Other codecs go through the generic matcher API, a fallback ``paths`` counts.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from itertools import accumulate
from pickle import loads
from typing import Any, Protocol

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.mcore import ListMatcher
from whoosh.matching.wrappers import FilterMatcher

from articles.search.whoosh.internals.paths import took_fallback, took_fast

_INT_SIZE = 4  # a Positions value: a uint count, then the pickled deltas


class Matcher(Protocol):
    """whoosh's public matcher API: the fallback's way through postings."""

    def is_active(self) -> bool: ...
    def id(self) -> int: ...
    def value(self) -> bytes: ...
    def next(self) -> None: ...
    def all_ids(self) -> Iterable[int]: ...


class BlockMatcher(Matcher, Protocol):
    """A ``W3LeafMatcher``'s private block state: the current block's ids and values."""

    _ids: Sequence[int] | None
    _values: Sequence[bytes] | None
    _i: int  # the position in the block
    _maxid: int  # the block's last id (from its header, read before its ids)
    _weights: Sequence[float] | None

    def _read_ids(self) -> None: ...
    def _read_values(self) -> None: ...
    def _read_weights(self) -> None: ...
    def _next_block(self) -> None: ...


class PostingsReader(Protocol):
    """What this module asks of a segment reader."""

    deleted_docs_set: frozenset[int]

    def __contains__(self, term: tuple[str, Any]) -> bool: ...
    def postings(self, fieldname: str, text: Any) -> Any: ...


def _postings(reader: PostingsReader, field: str, text: Any) -> tuple[Any, frozenset[int]]:
    """A term's raw postings matcher and the segment's deleted documents."""
    postings = reader.postings(field, text)
    if isinstance(postings, FilterMatcher):  # the segment has deleted documents
        return postings.child, reader.deleted_docs_set
    return postings, frozenset()


def term_docs(
    reader: PostingsReader, field: str, text: Any, near: Sequence[int] | None = None
) -> set[int]:
    """Segment-local documents holding ``text`` in ``field`` (deleted ones left out).

    With ``near`` (sorted documents), only the blocks whose id range holds one of them
    are read: the set then holds those of ``near`` and possibly some others.
    """
    if (field, text) not in reader:
        return set()
    matcher, deleted = _postings(reader, field, text)
    if not isinstance(matcher, W3LeafMatcher):
        took_fallback("postings", f"a {type(matcher).__name__}, not a W3LeafMatcher")
        generic: Matcher = matcher
        return set(generic.all_ids()) - deleted
    took_fast("postings")
    docs: set[int] = set()
    if near is None:
        for ids, _weights in _whole_list(reader, field, text, matcher):
            docs.update(ids)
    else:
        for ids in _blocks_near(matcher, near):
            docs.update(ids)
    return docs - deleted


def term_weights(reader: PostingsReader, field: str, text: Any) -> Iterator[tuple[int, float]]:
    """(document, weight) of each posting of ``text`` in ``field`` (deleted ones left out).

    The weight is what a scorer reads (the term's frequency in the document).
    """
    if (field, text) not in reader:
        return
    matcher, deleted = _postings(reader, field, text)
    if not isinstance(matcher, W3LeafMatcher):
        if not isinstance(matcher, ListMatcher):  # a term of one posting is kept inline
            took_fallback("weights", f"a {type(matcher).__name__}, not a W3LeafMatcher")
        generic: Any = matcher
        while generic.is_active():
            if generic.id() not in deleted:
                yield generic.id(), generic.weight()
            generic.next()
        return
    took_fast("weights")
    for ids, weights in _whole_list(reader, field, text, matcher):
        for doc, weight in zip(ids, weights, strict=True):
            if doc not in deleted:
                yield doc, weight


def weights_in(
    reader: PostingsReader, field: str, text: Any, docs: Sequence[int]
) -> dict[int, float]:
    """The weight of ``text`` in ``field`` for each of ``docs`` (sorted) that holds it,
    reading only the blocks whose id range holds one of them (deleted ones left out).

    A title word's weights for the few documents a phrase matched: its other blocks,
    most of a common word's list, are passed over with their ids unread.
    """
    if not docs or (field, text) not in reader:
        return {}
    wanted = set(docs)
    matcher, deleted = _postings(reader, field, text)
    if not isinstance(matcher, W3LeafMatcher):
        return {doc: weight for doc, weight in term_weights(reader, field, text) if doc in wanted}
    took_fast("weights")
    found: dict[int, float] = {}
    for ids, weights in _wanted_blocks(matcher, wanted, weights=True):
        found.update(zip(ids, weights, strict=True))
    return {doc: found[doc] for doc in (found.keys() & wanted) - deleted}


# A search of one word reads its whole list twice: its documents for the total and the
# facets (``term_docs``), then its weights to rank it (``term_weights``: identifiers,
# prefixes). Decoding a block (a zlib-compressed pickle with every posting's positions)
# costs tens of microseconds; within ``one_search()`` a whole list's decoded blocks are
# kept until the search ends, so the second reading decodes nothing.
_searching = threading.local()

Block = tuple[Sequence[int], Sequence[float]]


@contextmanager
def one_search() -> Iterator[None]:
    """Within it (one search, in this thread), each whole posting list is decoded once."""
    outer = getattr(_searching, "lists", None)
    if outer is None:
        _searching.lists = {}
    try:
        yield
    finally:
        if outer is None:
            _searching.lists = None


def _whole_list(
    reader: PostingsReader, field: str, text: Any, matcher: BlockMatcher
) -> list[Block]:
    """The (ids, weights) of every block of a fresh ``matcher`` over ``text`` in ``field``."""
    lists: dict[tuple[int, str, Any], list[Block]] | None = getattr(_searching, "lists", None)
    key = (id(reader), field, text)  # the reader lives as long as the search
    if lists is not None and key in lists:
        return lists[key]
    blocks: list[Block] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        start, ids, weights = matcher._i, matcher._ids, matcher._weights
        assert ids is not None  # read above
        assert weights is not None
        blocks.append((ids[start:], weights[start:]))
        matcher._next_block()
    if lists is not None:
        lists[key] = blocks
    return blocks


def term_values(
    reader: PostingsReader, field: str, text: Any, wanted: AbstractSet[int] | None = None
) -> dict[int, bytes]:
    """The raw posting values (e.g. positions) of ``text``, in ``wanted`` documents only."""
    if (field, text) not in reader:
        return {}
    matcher, deleted = _postings(reader, field, text)
    if not isinstance(matcher, W3LeafMatcher):
        took_fallback("positions", f"a {type(matcher).__name__}, not a W3LeafMatcher")
        generic: Matcher = matcher
        found: dict[int, bytes] = {}
        while generic.is_active():
            found[generic.id()] = generic.value()
            generic.next()
    else:
        took_fast("positions")
        found = {}
        for ids, values in _wanted_blocks(matcher, wanted):
            found.update(zip(ids, values, strict=True))
    keep = found.keys() - deleted if wanted is None else (found.keys() & wanted) - deleted
    return {doc: found[doc] for doc in keep}


def _wanted_blocks(
    matcher: BlockMatcher, wanted: AbstractSet[int] | None, *, weights: bool = False
) -> Iterator[tuple[Sequence[int], Sequence[Any]]]:
    """(ids, values) of the blocks holding a ``wanted`` document (every block for None);
    (ids, weights) with ``weights``.

    A phrase's later words are read for the documents its first words narrowed it
    to; decoding a common word's every block (ids, then pickled positions) cost more
    than the rest of a phrase search. A block whose ids turn out to miss the wanted
    documents is passed over before its values are read.
    """
    for ids in _blocks_near(matcher, sorted(wanted) if wanted is not None else None):
        if wanted is None or not wanted.isdisjoint(ids):
            part: Sequence[Any] | None
            if weights:
                if matcher._weights is None:
                    matcher._read_weights()
                part = matcher._weights
            else:
                if matcher._values is None:
                    matcher._read_values()
                part = matcher._values
            assert part is not None  # read above
            yield ids, part[matcher._i :]


def _blocks_near(matcher: BlockMatcher, ordered: Sequence[int] | None) -> Iterator[Sequence[int]]:
    """The remaining ids of each block whose id range holds one of ``ordered`` (sorted;
    every block for None). A block's header gives its last id, so a block whose range
    holds none of them is passed over with its ids unread.

    Reaching a block still reads every header before it (whoosh's lists have no skip
    table). A directory of the headers read from the list's bytes at once was tried: at
    full size a phrase's common word has 1,009 blocks, and building the directory (0.9
    ms) plus going to each wanted block cost more than this walk (12.6 against 11.6 ms
    for the phrase check): what the check spends is decoding the 84 blocks it needs.
    """
    low = 0  # no id in the current block is below this
    while matcher.is_active():
        high = matcher._maxid
        if ordered is not None:
            first = bisect_left(ordered, low)
            if first == len(ordered):
                return  # every one of them comes before this block
            if ordered[first] > high:
                low = high + 1
                matcher._next_block()
                continue
        if matcher._ids is None:
            matcher._read_ids()
        assert matcher._ids is not None  # read above
        yield matcher._ids[matcher._i :]
        low = high + 1
        matcher._next_block()


def positions(value: bytes) -> list[int]:
    """Decode a Positions value as whoosh's ``Positions.decode_positions`` does."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(loads(value[_INT_SIZE:])))  # noqa: S301 (our own index data)
