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

And for phrases: a phrase's matches are already checked and scored
(``phrases.VerifiedPhrase``), and its boost is the ``And`` of its words in the
titles. whoosh's matcher for that ``And`` walks the title words' lists to their
first common document when it is built, in every segment, then the ``AndMaybe``
skips it to each match; here each title word's weights are read only from the
blocks that hold a match (``postings.weights_in``), and the sums are grouped as
whoosh's tree of intersections groups them, so every score is the same to the bit.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import NullMatcher
from whoosh.util import make_weighted_tree

from articles.search.whoosh.internals.phrases import VerifiedPhrase
from articles.search.whoosh.internals.postings import term_weights, weights_in
from articles.search.whoosh.internals.prefixes import ScoredList, posting_score


class TitleBoosted(wq.AndMaybe):
    """``AndMaybe(word, title word)``: whoosh's query, ranked the same, in one pass where
    the word is an identifier (in one of ``ONE_PASS_FIELDS``) or a checked phrase."""

    ONE_PASS_FIELDS = frozenset({"ident"})
    ONE_PASS = True  # tests turn it off to compare with whoosh's matcher

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        word, title = self.a, self.b
        if self.ONE_PASS and searcher.is_atomic() and self.boost == word.boost == 1:
            weighting = (context.weighting if context else None) or searcher.weighting
            found = None
            words = _title_words(title)
            if isinstance(word, VerifiedPhrase) and words:
                found = _phrase_one_pass(searcher, word, words, weighting)
            elif (
                isinstance(word, wq.Term)
                and isinstance(title, wq.Term)
                and word.fieldname in self.ONE_PASS_FIELDS
                and title.boost == 1
            ):
                found = _one_pass(searcher, word, title, weighting)
            if found is not None:
                return found
        return super().matcher(searcher, context)


def _title_words(title: Any) -> list[Any]:
    """The terms of a title boost that is one term or an ``And`` of terms (none else)."""
    terms = title.subqueries if isinstance(title, wq.And) and title.boost == 1 else [title]
    if all(isinstance(t, wq.Term) and t.boost == 1 for t in terms):
        return list(terms)
    return []


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


class _Part:
    """A title word's scores, or the sum of two parts, standing for the matcher whoosh
    would build, in ``make_weighted_tree``: compared as whoosh's matchers compare (any two
    of one class equal, and each less than the other), so the tree groups the sums as
    whoosh's does. Floating-point addition is not associative: another grouping could
    change a score's last bit, and with it the order of two hits."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __lt__(self, other: object) -> bool:
        return type(other) is type(self)

    def score(self, doc: int) -> float | None:
        raise NotImplementedError


class _Word(_Part):
    def __init__(self, scores: dict[int, float]) -> None:
        self.scores = scores

    def score(self, doc: int) -> float | None:
        return self.scores.get(doc)


class _Both(_Part):
    """``IntersectionMatcher``: a document both parts have, scored their sum."""

    def __init__(self, a: _Part, b: _Part) -> None:
        self.a, self.b = a, b

    def score(self, doc: int) -> float | None:
        a = self.a.score(doc)
        b = self.b.score(doc) if a is not None else None
        return None if a is None or b is None else a + b


def _phrase_one_pass(
    searcher: Any, phrase: VerifiedPhrase, words: list[Any], weighting: Any
) -> Any:
    """The phrase's matches scored as ``AndMaybeMatcher`` over whoosh's ``And`` of the
    title ``words`` scores them; None where whoosh's tree could differ (a term whose
    postings are inlined is another class of matcher) or a scorer is not one of weight
    and length."""
    docs, scores = phrase.scored(searcher)
    if not docs:
        return NullMatcher()
    reader = searcher.reader()
    leaves: list[tuple[int, _Part]] = []
    for word in words:
        try:
            text = searcher.schema[word.fieldname].to_bytes(word.text)
        except (KeyError, ValueError):
            return None
        if (word.fieldname, text) not in reader:
            return ScoredList(docs, scores)  # the titles' And matches nothing here
        if reader.term_info(word.fieldname, text).is_inlined():
            return None
        score = posting_score(weighting.scorer(searcher, word.fieldname, text))
        if score is None:
            return None
        weights = weights_in(reader, word.fieldname, word.text, docs)
        # whoosh's And weighs each term by its estimated size (``And._matcher``).
        size = reader.doc_frequency(word.fieldname, text)
        leaves.append((-size, _Word({doc: score(doc, w) for doc, w in weights.items()})))
    titles: _Part = make_weighted_tree(_Both, leaves)
    boosted = []
    for doc, phrase_score in zip(docs, scores, strict=True):
        title_score = titles.score(doc)
        boosted.append(phrase_score if title_score is None else phrase_score + title_score)
    return ScoredList(docs, boosted)
