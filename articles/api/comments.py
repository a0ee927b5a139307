"""Comments: flat and filterable at ``/comments/``, or one article's thread as a tree.

Paywall: the comments of an article still locked for the caller are part of
its subscriber-only text. The flat list leaves them out and their detail URLs
answer 404, like an unknown id (whether a comment exists is not for others to
learn). The thread endpoint answers 200 with ``locked: true``, ``free_on`` and
an empty ``comments`` list, since the article itself is public knowledge.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from articles.api.base import BrowseViewSet
from articles.api.filters import CommentFilter
from articles.api.formats import iso_datetime
from articles.api.links import links_for
from articles.api.permissions import hide_locked
from articles.models import Article, Comment, PosterRole


class CommentFieldsSerializer(serializers.ModelSerializer[Comment]):
    """What a comment shows, in the flat list and in a thread."""

    # Field.parent is the enclosing serializer in DRF's types; as a declared field the
    # metaclass moves it out of the class, so the clash is only one for the type checker.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_lwn_id", allow_null=True, read_only=True, help_text="LWN id of the parent"
    )
    parent_url = serializers.URLField(
        allow_null=True, read_only=True, help_text="The parent comment in the API"
    )
    url = serializers.URLField(read_only=True, help_text="This comment in the API")
    html_url = serializers.URLField(
        allow_null=True, read_only=True, help_text="The comment in its article's page here"
    )
    lwn_url = serializers.URLField(read_only=True, help_text="The comment on lwn.net")
    title = serializers.CharField(allow_null=True, read_only=True)
    # Null where LWN gives no role.
    poster_role = serializers.ChoiceField(
        choices=PosterRole.choices, allow_null=True, read_only=True
    )
    body_html = serializers.CharField(allow_null=True, read_only=True)
    body_text = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Comment
        fields = [
            "lwn_id",
            "url",
            "html_url",
            "lwn_url",
            "parent",
            "parent_url",
            "depth",
            "thread_position",
            "title",
            "poster_name",
            "poster_role",
            "posted_at",
            "body_html",
            "body_text",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Comment) -> dict[str, Any]:
        # By hand, like ArticleSummarySerializer: a thread can hold hundreds.
        links = links_for(self.context)
        lwn_id = instance.lwn_id
        parent: int | None = instance.parent_lwn_id  # type: ignore[attr-defined]
        article: int | None = getattr(instance, "article_lwn_id", None)
        return {
            "lwn_id": lwn_id,
            "url": links.comment(lwn_id),
            "html_url": links.comment_page(article, lwn_id),
            "lwn_url": f"{settings.LWN_BASE_URL}/Articles/{lwn_id}/",
            "parent": parent,
            "parent_url": links.comment(parent),
            "depth": instance.depth,
            "thread_position": instance.thread_position,
            "title": instance.title or None,
            "poster_name": instance.poster_name,
            "poster_role": instance.poster_role or None,
            "posted_at": iso_datetime(instance.posted_at),
            "body_html": instance.body_html or None,
            "body_text": instance.body_text or None,
            "updated_at": iso_datetime(instance.updated_at),
        }


class CommentSerializer(CommentFieldsSerializer):
    article = serializers.IntegerField(
        source="article_lwn_id", allow_null=True, read_only=True, help_text="LWN id of the article"
    )
    article_url = serializers.URLField(
        allow_null=True, read_only=True, help_text="The article in the API"
    )

    class Meta(CommentFieldsSerializer.Meta):
        fields = [
            *CommentFieldsSerializer.Meta.fields[:4],
            "article",
            "article_url",
            *CommentFieldsSerializer.Meta.fields[4:],
        ]
        read_only_fields = fields

    def to_representation(self, instance: Comment) -> dict[str, Any]:
        data = super().to_representation(instance)
        article: int | None = instance.article_lwn_id  # type: ignore[attr-defined]
        head = {key: data.pop(key) for key in CommentFieldsSerializer.Meta.fields[:4]}
        links = links_for(self.context)
        return {**head, "article": article, "article_url": links.article(article), **data}


class CommentNodeSerializer(CommentFieldsSerializer):
    """A comment with its replies, nested to any depth (describes the thread's shape)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # Declared here, not on the class, because the class cannot name itself yet.
        fields["replies"] = CommentNodeSerializer(many=True, read_only=True)
        return fields


class CommentThreadSerializer(serializers.Serializer[dict[str, Any]]):
    article = serializers.IntegerField(help_text="LWN id of the article")
    article_url = serializers.URLField(help_text="The article in the API")
    locked = serializers.BooleanField(
        help_text="True while the comments are subscriber-only for the caller; comments is empty"
    )
    free_on = serializers.DateField(allow_null=True, help_text="When a locked thread opens")
    count = serializers.IntegerField(help_text="Comments in the thread (0 while locked)")
    comments = CommentNodeSerializer(many=True, help_text="Top-level comments, replies nested")


def comment_thread_data(
    *, article: Article, user: User | AnonymousUser, context: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The thread as nested dicts, from one query ordered by ``thread_position``.

    ``context`` is the serializer context; its request makes the links absolute.
    """
    locked = article.is_locked_for(user)
    comments = [] if locked else list(article.comments.order_by("thread_position"))
    by_pk = {c.pk: c for c in comments}
    for comment in comments:
        parent = by_pk.get(comment.parent_id) if comment.parent_id else None
        comment.parent_lwn_id = parent.lwn_id if parent else None  # type: ignore[attr-defined]
        comment.article_lwn_id = article.lwn_id  # type: ignore[attr-defined]
    rows = CommentFieldsSerializer(comments, many=True, context=context or {}).data
    roots: list[dict[str, Any]] = []
    replies: dict[int, list[dict[str, Any]]] = {}
    # Pre-order: a parent always comes before its replies, so its list exists already.
    for comment, fields in zip(comments, rows, strict=True):
        node = {**fields, "replies": replies.setdefault(comment.pk, [])}
        siblings = replies[comment.parent_id] if comment.parent_id in by_pk else roots
        siblings.append(node)
    return {
        "article": article.lwn_id,
        "article_url": links_for(context or {}).article(article.lwn_id),
        "locked": locked,
        "free_on": article.free_on.isoformat() if locked and article.free_on else None,
        "count": len(comments),
        "comments": roots,
    }


@extend_schema_view(
    list=extend_schema(summary="Comments, newest first, without those of locked articles"),
    retrieve=extend_schema(summary="One comment by its LWN id"),
)
class CommentViewSet(BrowseViewSet[Comment]):
    """Reader comments across the archive, filterable by article, poster, date and role."""

    serializer_class = CommentSerializer
    lookup_field = "lwn_id"
    lookup_value_regex = r"[0-9]+"
    filterset_class = CommentFilter
    ordering_map = {"posted_at": "posted_at", "lwn_id": "lwn_id"}
    ordering = ["-posted_at"]

    def get_queryset(self) -> QuerySet[Comment]:
        comments = Comment.objects.annotate(
            article_lwn_id=F("article__lwn_id"), parent_lwn_id=F("parent__lwn_id")
        )
        return hide_locked(comments, self.request.user, via="article")
