"""Query-string filters shared by the API and the Atom feeds.

Every filter lives in the URL, so any list can be bookmarked and the same
parameters drive JSON and Atom. Multi-valued relations (authors, releases,
mentions) filter through ``pk IN (subquery)`` rather than joins, so a row never
comes back twice and no ``DISTINCT`` is needed. The schema annotations
(``extend_schema_field``) only describe the parameters in the API's OpenAPI schema.
"""

from __future__ import annotations

from typing import Any, TypeVar

import django_filters as df
from django import forms
from django.db.models import Model, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleKind,
    Entity,
    EntityKind,
    Mention,
    MentionStatus,
    MergeWindowItem,
)
from articles.models.kernel import parse_version
from articles.selectors.entities import entity_get

# The largest value a PostgreSQL integer column holds: larger ids simply match nothing.
_MAX_ID = 2**31 - 1
M = TypeVar("M", bound=Model)


def parse_int(raw: str, *, name: str, minimum: int, maximum: int) -> int:
    """``raw`` as a whole number in [minimum, maximum]; ValueError naming ``name`` otherwise.

    For query parameters read by hand (pages, years): ``int()`` alone lets through
    values the database or ``datetime`` refuse later with a 500.
    """
    text = raw.strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 20:
        raise ValueError(f"{name} must be a whole number from {minimum} to {maximum}.")
    value = int(text)
    if not minimum <= value <= maximum:
        raise ValueError(f"{name} must be a whole number from {minimum} to {maximum}.")
    return value


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(df.NumberFilter):
    """A whole-number filter (django-filter's NumberFilter accepts decimals)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", _MAX_ID)
        super().__init__(*args, **kwargs)


RELEASE_HELP = "a kernel version such as 6.14 or 5.8.3"


def _release_error(text: str) -> forms.ValidationError:
    return forms.ValidationError(f"{text!r} is not {RELEASE_HELP}.")


class _ReleaseField(forms.CharField):
    def clean(self, value: Any) -> tuple[int, int, int] | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_version(text)
        except ValueError:
            raise _release_error(text) from None


class _ReleaseTextField(forms.CharField):
    """A release as written (``5.8``), refused unless it reads as a kernel version."""

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if text:
            try:
                parse_version(text)
            except ValueError:
                raise _release_error(text) from None
        return text


@extend_schema_field({"type": "string", "pattern": r"^\d+\.\d+(\.\d+)?$", "example": "5.8"})
class ReleaseFilter(df.CharFilter):
    """``release=5.8``: one release by its version; ``release=abc`` answers 400."""

    field_class = _ReleaseTextField


class _StrictBooleanField(forms.Field):
    def clean(self, value: Any) -> bool | None:
        text = str(value or "").strip().lower()
        if not text:
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(f"{value!r} is not a boolean: use true or false.")


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(df.Filter):
    """``subscriber_only=true``: true/false (or 1/0); anything else answers 400.

    django-filter's own BooleanFilter reads ``maybe`` as "not given" and answers
    every row, so a typo looks like an empty filter.
    """

    field_class = _StrictBooleanField


class ChoiceFilter(df.ChoiceFilter):
    """A choice filter whose 400 lists the values it takes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        choices = kwargs.get("choices") or []
        values = ", ".join(str(value) for value, _label in choices)
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": f"%(value)s is not one of the values it takes: {values}."},
        )
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^\d+\.\d+(\.\d+)?$", "example": "5.8"})
class ReleaseBoundFilter(df.Filter):
    """``release_min=5.8``: compares (major, minor, patch) numerically, so 6.14 > 6.9.

    ``field_name`` leads to the KernelRelease; for articles, whose releases are
    those of the merge-window items they list, pass ``through=MergeWindowItem``.
    """

    field_class = _ReleaseField

    def __init__(
        self, *args: Any, upper: bool = False, through: type[Model] | None = None, **kwargs: Any
    ) -> None:
        self.upper = upper
        self.through = through
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: tuple[int, int, int] | None) -> QuerySet[Any]:
        if value is None:
            return qs
        major, minor, patch = value
        f = f"{self.field_name}__"
        gt, ge = ("lt", "lte") if self.upper else ("gt", "gte")
        bound = (
            Q(**{f"{f}major__{gt}": major})
            | Q(**{f"{f}major": major, f"{f}minor__{gt}": minor})
            | Q(**{f"{f}major": major, f"{f}minor": minor, f"{f}patch__{ge}": patch})
        )
        if self.through is None:
            return qs.filter(bound)
        return qs.filter(pk__in=self.through._default_manager.filter(bound).values("article_id"))


class _EntityField(forms.CharField):
    def clean(self, value: Any) -> tuple[str, str] | None:
        text = super().clean(value)
        if not text:
            return None
        kind, sep, name = text.partition(":")
        if not sep or kind not in EntityKind.values or not name:
            raise forms.ValidationError(
                "Use kind:name, e.g. syscall:faccessat2; kinds: " + ", ".join(EntityKind.values)
            )
        return kind, name


@extend_schema_field({"type": "string", "example": "syscall:faccessat2"})
class EntityFilter(df.Filter):
    """``entity=syscall:faccessat2``: rows with a (not rejected) Mention of that entity.

    The name is matched as on the entity pages: case-insensitively, written as in
    text (``faccessat2()``), or by a former name.
    """

    field_class = _EntityField

    def filter(self, qs: QuerySet[Any], value: tuple[str, str] | None) -> QuerySet[Any]:
        if value is None:
            return qs
        entity = entity_get(kind=value[0], name=value[1])
        if entity is None:
            return qs.none()
        return mentioning(qs, entity, target=self.field_name)


def mentioning(qs: QuerySet[M], entity: Entity, *, target: str) -> QuerySet[M]:
    """Rows of ``qs`` (articles, items, devices or comments: ``target``) naming ``entity``."""
    mentions = Mention.objects.filter(entity=entity, **{f"{target}__isnull": False})
    mentions = mentions.exclude(status=MentionStatus.REJECTED)
    return qs.filter(pk__in=mentions.values(target))


class ArticleFilter(df.FilterSet):
    date_after = df.DateFilter(field_name="date", lookup_expr="gte", help_text="On or after")
    date_before = df.DateFilter(field_name="date", lookup_expr="lte", help_text="On or before")
    edition = IdFilter(field_name="edition__lwn_id", help_text="LWN id of the edition")
    section = df.CharFilter(field_name="section", lookup_expr="iexact")
    kind = ChoiceFilter(choices=ArticleKind.choices)
    author = df.CharFilter(method="filter_author", help_text="Author name or LWN login")
    release = ReleaseFilter(
        method="filter_release", help_text="Lists merge-window items of this release, e.g. 5.8"
    )
    release_min = ReleaseBoundFilter(
        field_name="release", through=MergeWindowItem, help_text="Lists this release or later"
    )
    release_max = ReleaseBoundFilter(
        field_name="release",
        through=MergeWindowItem,
        upper=True,
        help_text="Lists this release or earlier",
    )
    entity = EntityFilter(field_name="article", help_text="kind:name, e.g. syscall:faccessat2")
    subscriber_only = BooleanFilter()

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_author(self, qs: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        bylines = ArticleAuthor.objects.filter(
            Q(author__name__iexact=value) | Q(author__login__iexact=value)
        )
        return qs.filter(pk__in=bylines.values("article_id"))

    def filter_release(self, qs: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        items = MergeWindowItem.objects.filter(release__version=value)
        return qs.filter(pk__in=items.values("article_id"))
