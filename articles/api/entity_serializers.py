"""The entity API's answers: an entity, its detail with grouped mentions, one mention.

``articles/api/entities.py`` routes and filters; these write what it answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import (
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers

from articles.api.links import Links, links_for, lwn_article_url
from articles.models import Article, Entity, MergeWindowItem
from articles.selectors.mention_rows import MENTION_TYPES, MentionRow, merge_item_href


def _links(serializer: serializers.Field[Any, Any, Any, Any]) -> Links:
    return links_for(serializer.context)


def _absolute(links: Links, href: str) -> str:
    """A page path from the selectors, absolute; LWN's own URLs are left as they are."""
    return links.origin + href if href.startswith("/") else href


class EntitySerializer(serializers.ModelSerializer[Entity]):
    url = serializers.SerializerMethodField(help_text="This entity in the API")
    html_url = serializers.SerializerMethodField(help_text="This entity's page on this site")
    display_name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    introduced = serializers.SerializerMethodField()
    introduced_url = serializers.SerializerMethodField()
    mention_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Entity
        fields = [
            "kind",
            "name",
            "display_name",
            "url",
            "html_url",
            "description",
            "aliases",
            "introduced",
            "introduced_url",
            "mention_count",
            "updated_at",
        ]

    def get_url(self, entity: Entity) -> str:
        return _links(self).entity(entity.kind, entity.name)

    def get_html_url(self, entity: Entity) -> str:
        return _links(self).entity_page(entity.kind, entity.name)

    def get_introduced(self, entity: Entity) -> str | None:
        """The release that introduced the entity, e.g. ``5.8``."""
        if getattr(entity, "introduction_locked", False) or entity.introduced_release is None:
            return None  # read from a merge-window item still locked for the caller
        return entity.introduced_release.version

    def get_introduced_url(self, entity: Entity) -> str | None:
        """That release in the API."""
        return _links(self).release(self.get_introduced(entity))

    def to_representation(self, instance: Entity) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["description"] = data["description"] or None
        return data


class TextRefSerializer(serializers.Serializer[Article]):
    """The article a text belongs to."""

    lwn_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    url = serializers.URLField(allow_null=True, help_text="The article in the API")
    html_url = serializers.URLField(allow_null=True, help_text="Its page on this site")
    lwn_url = serializers.URLField(allow_null=True, help_text="On lwn.net")


def _article_ref(article: Article, links: Links) -> dict[str, Any]:
    return {
        "lwn_id": article.lwn_id,
        "title": article.title,
        "url": links.article(article.lwn_id),
        "html_url": links.article_page(article.lwn_id),
        "lwn_url": lwn_article_url(article.lwn_id, article.url),
    }


class MentionDetailSerializer(serializers.Serializer[dict[str, Any]]):
    """What the text is: each type fills its own keys (null while a comment is locked)."""

    url = serializers.URLField(
        allow_null=True, help_text="The text in the API (item, device, comment or article)"
    )
    id = serializers.IntegerField(required=False, help_text="Merge-window item or device id")
    release = serializers.CharField(required=False, help_text="Merge-window items and devices")
    group = serializers.CharField(required=False, help_text="Merge-window items: the heading")
    category = serializers.CharField(required=False, help_text="Devices")
    lwn_id = serializers.IntegerField(required=False, allow_null=True, help_text="Comments")
    title = serializers.CharField(required=False, allow_null=True, help_text="Comments")
    poster = serializers.CharField(required=False, allow_null=True, help_text="Comments")


class MentionSerializer(serializers.Serializer[MentionRow]):
    """One mention; ``sentence`` is null while the text is subscriber-only for the caller."""

    type = serializers.CharField()
    date = serializers.DateField(source="when", allow_null=True)
    sentence = serializers.CharField(allow_null=True)
    locked_until = serializers.DateField(allow_null=True)
    # "source" is also a Field attribute; DRF takes declared fields out of the class first.
    source = serializers.CharField(source="mention.source")  # type: ignore[assignment]
    status = serializers.CharField(source="mention.status")
    introduces = serializers.BooleanField()
    html_url = serializers.SerializerMethodField(help_text="Where to read the text on this site")
    article = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    def to_representation(self, instance: MentionRow) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["sentence"] = data["sentence"] or None
        return data

    def get_html_url(self, row: MentionRow) -> str:
        return _absolute(_links(self), row.href)

    @extend_schema_field(TextRefSerializer)
    def get_article(self, row: MentionRow) -> dict[str, Any]:
        return _article_ref(row.article, _links(self))

    @extend_schema_field(MentionDetailSerializer)
    def get_detail(self, row: MentionRow) -> dict[str, Any]:
        """What the text is: the merge-window group, the device, the comment or the article."""
        mention = row.mention
        links = _links(self)
        if mention.merge_item is not None:
            item = mention.merge_item
            return {
                "url": links.merge_item(item.pk),
                "id": item.pk,
                "release": item.release.version,
                "group": item.group,
            }
        if mention.hardware is not None:
            device = mention.hardware
            return {
                "url": links.device(device.pk),
                "id": device.pk,
                "release": device.release.version,
                "category": device.category,
            }
        if mention.comment is not None:
            comment = mention.comment
            if row.locked:  # the thread of a locked article is subscriber text
                return {"url": None, "lwn_id": None, "title": None, "poster": None}
            return {
                "url": links.comment(comment.lwn_id),
                "lwn_id": comment.lwn_id,
                "title": comment.title or None,
                "poster": comment.poster_name,
            }
        return {"url": links.article(row.article.lwn_id)}


class IntroducedInSerializer(serializers.Serializer[MergeWindowItem]):
    """The merge-window item that announced an entity."""

    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The item in the API")
    html_url = serializers.URLField(help_text="The item in its release's page")
    release = serializers.CharField()
    release_url = serializers.URLField(help_text="The release in the API")
    group = serializers.CharField()
    article = TextRefSerializer()


class RelatedEntitySerializer(serializers.Serializer[Entity]):
    kind = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField(help_text="The entity in the API")
    html_url = serializers.URLField(help_text="Its page on this site")


def _by_type(field: Callable[[], serializers.Field[Any, Any, Any, Any]], name: str) -> Any:
    # A field instance is bound to one name, so each type gets its own.
    return inline_serializer(name=name, fields={kind: field() for kind in MENTION_TYPES})


class EntityDetailSerializer(EntitySerializer):
    introduced_in = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    mention_counts = serializers.SerializerMethodField()
    mentions_url = serializers.SerializerMethodField()
    mention_urls = serializers.SerializerMethodField()
    related = serializers.SerializerMethodField()
    # The list annotates this; the detail has the counts by type in its context already.
    mention_count = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta(EntitySerializer.Meta):
        fields = [
            *EntitySerializer.Meta.fields,
            "introduced_in",
            "mention_counts",
            "mentions",
            "mentions_url",
            "mention_urls",
            "related",
        ]

    @extend_schema_field(IntroducedInSerializer(allow_null=True))
    def get_introduced_in(self, entity: Entity) -> dict[str, Any] | None:
        """The merge-window item that announced the entity."""
        item = entity.introduced_in
        if item is None:
            return None
        links = _links(self)
        version = item.release.version
        return {
            "id": item.pk,
            "url": links.merge_item(item.pk),
            "html_url": _absolute(links, merge_item_href(item)),
            "release": version,
            "release_url": links.release(version),
            "group": item.group,
            "article": _article_ref(item.article, links),
        }

    @extend_schema_field(_by_type(lambda: MentionSerializer(many=True), "EntityMentionsByType"))
    def get_mentions(self, entity: Entity) -> dict[str, Any]:
        """The newest mentions of each type, at most ``TIMELINE_PAGE``; all in ``mention_urls``."""
        groups = self.context["groups"]
        return {
            kind: MentionSerializer(groups[kind], many=True, context=self.context).data
            for kind in MENTION_TYPES
        }

    @extend_schema_field(_by_type(serializers.IntegerField, "EntityMentionCounts"))
    def get_mention_counts(self, entity: Entity) -> dict[str, int]:
        return dict(self.context["counts"])

    def get_mention_count(self, entity: Entity) -> int:
        return sum(self.context["counts"].values())

    def get_mentions_url(self, entity: Entity) -> str:
        """Every mention, newest first, cursor-paged."""
        return _links(self).entity(entity.kind, entity.name, view="mentions")

    @extend_schema_field(_by_type(serializers.URLField, "EntityMentionUrls"))
    def get_mention_urls(self, entity: Entity) -> dict[str, str]:
        """For each type, the cursor-paged list of all its mentions."""
        url = self.get_mentions_url(entity)
        return {kind: f"{url}?type={kind}" for kind in MENTION_TYPES}

    @extend_schema_field(RelatedEntitySerializer(many=True))
    def get_related(self, entity: Entity) -> list[dict[str, str]]:
        links = _links(self)
        return [
            {
                "kind": other.kind,
                "name": other.name,
                "url": links.entity(other.kind, other.name),
                "html_url": links.entity_page(other.kind, other.name),
            }
            for other in self.context["related"]
        ]
