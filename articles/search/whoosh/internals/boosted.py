"""One word and its title boost, scored in one pass over their postings.

Every search ranks ``AndMaybe(found, title words)`` (``compile.compile_positive``):
titles lift a match. For one word that is whoosh's ``AndMaybeMatcher`` over two
term matchers: for each posting of the word, in Python, the next posting, a skip
into the title's list and two scores, about three microseconds a match; an
identifier in 10,000 texts spent most of its search there. Here the word's
postings are read a block at a time, scored with the searcher's scorer, the
title's scores added where they meet, and the collector gets one list
(``prefixes.ScoredList``) whose blocks it can skip.

Only for identifiers: their scores hardly differ (an identifier is seldom
written twice in a text), so whoosh's block skipping, which passes over blocks
whose best score cannot reach the page, prunes little. A prose word's scores
spread with how often a text uses it, and there whoosh skips most blocks; one
pass was slower for every prose word tried (at scale 0.1, CPU ms per search,
whoosh's matcher against one pass: ``CAP_MKNOD`` 4.7 against 3.4, ``scheduler``
12.4 against 14.3, ``kernel`` 38 against 42; the same hits and scores).
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import NullMatcher

from articles.search.whoosh.internals.postings import term_weights
from articles.search.whoosh.internals.prefixes import ScoredList, posting_score


class TitleBoosted(wq.AndMaybe):
    """``AndMaybe(word, title word)``: whoosh's query, ranked the same, in one pass where
    the word is an identifier (in one of ``ONE_PASS_FIELDS``)."""

    ONE_PASS_FIELDS = frozenset({"ident"})
    ONE_PASS = True  # tests turn it off to compare with whoosh's matcher

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        word, title = self.a, self.b
        if (
            self.ONE_PASS
            and searcher.is_atomic()
            and isinstance(word, wq.Term)
            and isinstance(title, wq.Term)
            and word.fieldname in self.ONE_PASS_FIELDS
            and self.boost == word.boost == title.boost == 1
        ):
            weighting = (context.weighting if context else None) or searcher.weighting
            found = _one_pass(searcher, word, title, weighting)
            if found is not None:
                return found
        return super().matcher(searcher, context)


def _one_pass(searcher: Any, word: Any, title: Any, weighting: Any) -> Any:
    """The word's matches scored as ``AndMaybeMatcher`` scores them (the word's score, plus
    the title's where the title has it too); None when a scorer is not one of weight and
    length."""
    try:  # as whoosh's Term.matcher scores them; it matches nothing for a bad value
        word_text = searcher.schema[word.fieldname].to_bytes(word.text)
        title_text = searcher.schema[title.fieldname].to_bytes(title.text)
    except (KeyError, ValueError):
        return None
    reader = searcher.reader()
    if (word.fieldname, word_text) not in reader:
        return NullMatcher()
    word_score = posting_score(weighting.scorer(searcher, word.fieldname, word_text))
    if word_score is None:
        return None
    # The text as the Term holds it, as docsets read it too: the search then decodes the
    # word's list once (``postings.one_search``).
    postings = term_weights(reader, word.fieldname, word.text)
    scores = {doc: word_score(doc, weight) for doc, weight in postings}
    # whoosh makes a scorer only for a term the segment has (its statistics raise
    # TermNotFound otherwise): a segment whose titles lack the word adds nothing.
    if (title.fieldname, title_text) in reader:
        title_score = posting_score(weighting.scorer(searcher, title.fieldname, title_text))
        if title_score is None:
            return None
        for doc, weight in term_weights(reader, title.fieldname, title.text):
            if doc in scores:
                scores[doc] += title_score(doc, weight)
    if not scores:
        return NullMatcher()
    return ScoredList(list(scores), list(scores.values()))  # postings come in document order
