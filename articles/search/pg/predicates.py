"""A small predicate tree, rendered to SQL once per table (branch).

The compiler builds the tree once; :func:`render` turns it into a ``WHERE``
fragment for one branch. Predicates that a branch decides by itself (``type:``,
a section on comments) fold to TRUE or FALSE there, so a ``type:hardware``
search reads one table only.

Every leaf renders to TRUE or FALSE, never NULL: an exclusion (``NOT``) of a
NULL would drop rows that should stay (``-release:5.8`` keeps comments, which
have no release).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from articles.search.pg.branches import SIMPLE, Branch


@dataclass(frozen=True, slots=True)
class Vector:
    """A tsquery (text form) against the prose or identifier column."""

    column: Literal["prose", "ident"]
    query: str


@dataclass(frozen=True, slots=True)
class Names:
    """A tsquery (simple configuration) against author names or the section."""

    field: Literal["author", "section"]
    query: str


@dataclass(frozen=True, slots=True)
class EntityIs:
    name: str  # lowercased
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class TypeIs:
    value: str


@dataclass(frozen=True, slots=True)
class Equals:
    """Exact facet values, as facet links carry them."""

    field: Literal["release", "section", "author"]
    value: str


@dataclass(frozen=True, slots=True)
class Between:
    """Inclusive bounds on the release key or the date; None leaves that end open."""

    column: Literal["release_key", "date"]
    low: int | dt.date | None
    high: int | dt.date | None


@dataclass(frozen=True, slots=True)
class Locked:
    """Still behind the paywall on ``today``."""

    today: dt.date


@dataclass(frozen=True, slots=True)
class All:
    parts: tuple[Pred, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Pred, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Pred


Pred = Vector | Names | EntityIs | TypeIs | Equals | Between | Locked | All | AnyOf | Not


def all_of(parts: list[Pred | None]) -> Pred | None:
    kept = tuple(p for p in parts if p is not None)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else All(kept)


def any_of(parts: list[Pred | None]) -> Pred | None:
    kept = tuple(p for p in parts if p is not None)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else AnyOf(kept)


@dataclass(frozen=True, slots=True)
class Sql:
    """SQL text with ``%s`` placeholders, and their values in order."""

    text: str
    params: tuple[Any, ...] = ()


TRUE, FALSE = Sql("TRUE"), Sql("FALSE")


def _and(parts: list[Sql]) -> Sql:
    if any(p is FALSE for p in parts):
        return FALSE
    kept = [p for p in parts if p is not TRUE]
    if not kept:
        return TRUE
    if len(kept) == 1:
        return kept[0]
    return Sql(
        "(" + " AND ".join(p.text for p in kept) + ")", tuple(x for p in kept for x in p.params)
    )


def _or(parts: list[Sql]) -> Sql:
    if any(p is TRUE for p in parts):
        return TRUE
    kept = [p for p in parts if p is not FALSE]
    if not kept:
        return FALSE
    if len(kept) == 1:
        return kept[0]
    return Sql(
        "(" + " OR ".join(p.text for p in kept) + ")", tuple(x for p in kept for x in p.params)
    )


def _not(part: Sql) -> Sql:
    if part is TRUE:
        return FALSE
    if part is FALSE:
        return TRUE
    return Sql(f"NOT {part.text}", part.params)


def _between(expression: str, low: object, high: object) -> Sql:
    parts = [Sql(f"{expression} IS NOT NULL")]
    if low is not None:
        parts.append(Sql(f"{expression} >= %s", (low,)))
    if high is not None:
        parts.append(Sql(f"{expression} <= %s", (high,)))
    return _and(parts)


def _mentioned(branch: Branch, pred: EntityIs) -> Sql:
    column = f"m.{branch.mention_column}"
    # Uncorrelated IN (…): hashed once, also under OR and NOT. Rejected mentions do not count.
    name = "lower(e.name) LIKE %s" if pred.prefix else "lower(e.name) = %s"
    value = _like_prefix(pred.name) if pred.prefix else pred.name
    return Sql(
        f"d.id IN (SELECT {column} FROM articles_mention m"  # noqa: S608
        f" JOIN articles_entity e ON e.id = m.entity_id"
        f" WHERE {column} IS NOT NULL AND m.status <> 'rejected' AND {name})",
        (value,),
    )


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _names(branch: Branch, pred: Names) -> Sql:
    if pred.field == "author":
        if branch.author_text is None:
            return FALSE
        source = branch.author_text
    else:
        if not branch.has_section:
            return FALSE
        source = branch.section
    return Sql(f"to_tsvector('{SIMPLE}', {source}) @@ %s::tsquery", (pred.query,))


def _equals(branch: Branch, pred: Equals) -> Sql:
    if pred.field == "author":
        return FALSE if branch.author_is is None else Sql(branch.author_is, (pred.value,))
    if pred.field == "section" and not branch.has_section:
        return FALSE
    if pred.field == "release" and branch.release_rows:
        return Sql(branch.release_rows.format(condition="fr.version = %s"), (pred.value,))
    column = branch.release if pred.field == "release" else branch.section
    return Sql(f"{column} = %s", (pred.value,))


def render(pred: Pred, branch: Branch) -> Sql:
    """``pred`` as SQL over ``branch``'s tables (``d`` the row, ``a`` its article)."""
    if isinstance(pred, Vector):
        column = branch.prose if pred.column == "prose" else branch.ident
        return Sql(f"{column} @@ %s::tsquery", (pred.query,))
    if isinstance(pred, Names):
        return _names(branch, pred)
    if isinstance(pred, EntityIs):
        return _mentioned(branch, pred)
    if isinstance(pred, TypeIs):
        return TRUE if pred.value == branch.type else FALSE
    if isinstance(pred, Equals):
        return _equals(branch, pred)
    if isinstance(pred, Between):
        if pred.column == "release_key" and branch.release_rows:
            inside = _between("fr.key", pred.low, pred.high)
            return Sql(branch.release_rows.format(condition=inside.text), inside.params)
        column = branch.release_key if pred.column == "release_key" else branch.date
        return _between(column, pred.low, pred.high)
    if isinstance(pred, Locked):
        return Sql(branch.locked(), (pred.today,))
    if isinstance(pred, All):
        return _and([render(p, branch) for p in pred.parts])
    if isinstance(pred, AnyOf):
        return _or([render(p, branch) for p in pred.parts])
    return _not(render(pred.part, branch))
