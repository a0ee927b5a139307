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


def ranked(word: str, found: dict[str, int]) -> list[str]:
    """Variants of ``word`` that documents match, closest then most frequent first."""
    options = [c for c in one_edit(word) if found.get(c)]
    return sorted(options, key=lambda c: (edit_distance(word, c), -found[c], c))[:LITERAL_CHECKS]


# The best few variants are checked as written; a handful of matching rows per table
# is enough to meet a word that is really used (the check runs on a sample, not on
# every row that has the stem).
LITERAL_CHECKS = 8
LITERAL_SAMPLE = 200


def literal_sql(words: Iterable[str], access: Access) -> Sql:
    """Rows (word,) for the ``words`` some text ``access`` may read has as written.

    A variant matches through its stem: "swapness" finds "swap" and "schedulal"
    finds "scheduler", so a match alone does not make a word. The suggestion must be
    a word a reader could find written, as whoosh's word list holds it. Checked on a
    sample of each table's matching rows, as a whole word (a regex from \\m to \\M).
    """
    probes: list[Sql] = []
    for b in BRANCHES:
        text = f"({b.title} || ' ' || {b.body})"
        readable = ""
        params: tuple[object, ...] = ()
        if not access.can_read:
            # Locked articles by their title only, as searching them goes.
            if b is ARTICLE:
                text = f"(CASE WHEN {b.locked()} THEN {b.title} ELSE {text} END)"
                params = (access.today,)
            else:
                readable = f" AND NOT {b.locked()}"
                params = (access.today,)
        probes.append(
            Sql(
                f"EXISTS (SELECT 1 FROM (SELECT {text} AS t FROM {b.tables}"  # noqa: S608
                f" WHERE {b.prose} @@ c.q{readable} LIMIT {LITERAL_SAMPLE}) s"
                " WHERE s.t ~* ('\\m' || c.word || '\\M'))",
                params,
            )
        )
    return Sql(
        "SELECT c.word FROM ("  # noqa: S608
        f" SELECT w AS word, to_tsquery('{ENGLISH}', '''' || w || '''') AS q"
        " FROM unnest(%s::text[]) AS w) AS c"
        f" WHERE numnode(c.q) > 0 AND ({' OR '.join(p.text for p in probes)})",
        (sorted(set(words)), *(x for p in probes for x in p.params)),
    )
