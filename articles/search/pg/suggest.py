""" "Did you mean" without a word list: spelling variants checked against the GIN index.

Whoosh keeps a vocabulary of every indexed word and walks it with a Levenshtein
automaton. The tables keep no such list (that would be index maintenance), so
this side goes the other way round: it spells out every word one edit away
(a letter dropped, added, changed, or two swapped; the first letter kept, as in
whoosh) and asks the prose GIN index which of them any document contains, most
frequent first. A few hundred index probes, and only for a word no document has.
The difference from whoosh: corrections two edits away are not offered.

Both the "no document has it" and "some document has it" questions count only
rows the reader may read (:func:`readable_sql`), so a reader without the
subscriber permission gets the same answer as if locked text were not stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from articles.search.pg.branches import ARTICLE, BRANCHES, ENGLISH, TABLES
from articles.search.pg.predicates import Sql
from articles.search.query import edit_distance
from articles.search.results import Access

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
# Like the words whoosh's vocabulary keeps: letters only, 3 to 30 of them.
_WORD = re.compile(r"[a-z]{3,30}")


def one_edit(word: str) -> set[str]:
    """Words one deletion, transposition, replacement or insertion away; same first letter."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    variants |= {a + c + b for a, b in splits for c in _ALPHABET}
    return {v for v in variants if v[:1] == word[:1] and v != word and _WORD.fullmatch(v)}


def can_correct(word: str) -> bool:
    return _WORD.fullmatch(word) is not None


def readable_sql(access: Access, *, word: str, title: str) -> Sql:
    """SQL true when a row ``access`` may read has the one-lexeme tsquery ``word``.

    The rule of ``compile.compile_query``: rows that are not locked, and locked
    articles by their title (``title``: the same lexeme restricted to weight A).
    """
    if access.can_read:
        return Sql(
            " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE search_prose @@ {word})" for t in TABLES)  # noqa: S608
        )
    parts = [
        Sql(
            f"EXISTS (SELECT 1 FROM {b.tables} WHERE {b.prose} @@ {word} AND NOT {b.locked()})",  # noqa: S608
            (access.today,),
        )
        for b in BRANCHES
    ]
    parts.append(
        Sql(
            f"EXISTS (SELECT 1 FROM {ARTICLE.tables} WHERE {ARTICLE.prose} @@ {title}"  # noqa: S608
            f" AND {ARTICLE.locked()})",
            (access.today,),
        )
    )
    return Sql(" OR ".join(p.text for p in parts), tuple(x for p in parts for x in p.params))


def candidates_sql(words: Iterable[str], access: Access) -> Sql:
    """Rows (candidate, documents containing it) for the variants ``access`` may read.

    A variant only subscriber-only text has is left out for readers who may not
    read that text, so a correction never names a word they could not find.
    """
    variants = sorted({v for word in words for v in one_edit(word)})
    counts = " + ".join(f"(SELECT count(*) FROM {t} WHERE search_prose @@ c.q)" for t in TABLES)  # noqa: S608
    readable = readable_sql(access, word="c.q", title="c.title")
    return Sql(
        f"SELECT c.word, {counts} FROM ("  # noqa: S608
        f" SELECT w AS word, to_tsquery('{ENGLISH}', '''' || w || '''') AS q,"
        f" to_tsquery('{ENGLISH}', '''' || w || ''':A') AS title"
        " FROM unnest(%s::text[]) AS w) AS c"
        # Stop words make empty queries: skip them before PostgreSQL warns about each.
        f" WHERE numnode(c.q) > 0 AND ({readable.text})",
        (variants, *readable.params),
    )


def best(word: str, found: dict[str, int]) -> str | None:
    """The closest, then most frequent, variant of ``word`` that documents contain."""
    options = [c for c in one_edit(word) if found.get(c)]
    if not options:
        return None
    return min(options, key=lambda c: (edit_distance(word, c), -found[c], c))
