"""What the search tests compare the engines with: answers worked out from the text alone."""

from __future__ import annotations

from articles.search.analysis import prose_phrase


def phrase_occurs(body: str, phrase: str) -> bool:
    """The phrase's terms at their offsets among the body's analysed terms."""
    wanted = prose_phrase(phrase)
    at = {(term, pos) for term, pos in prose_phrase(body)}
    starts = {pos for term, pos in at if term == wanted[0][0]}
    return any(all((term, start + off) in at for term, off in wanted) for start in starts)
