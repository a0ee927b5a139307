"""Entity and article curation over HTTP: rename, merge, aliases, free now.

Curators and staff only, as for mentions (``articles.api.curation``). Explicit
views rather than actions on ``EntityViewSet``: an entity's name may hold
slashes (``proc/pid/maps``), so its detail route swallows any suffix a router
action would add; these routes are matched first. Each change goes through the
same services as admin's, so it records who and when and leaves a
``CurationEvent`` (``GET /api/v1/curation/events/``).

After a rename or a merge the old name is an alias of the surviving entity, so
its old URLs answer 301 to the new ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from django.urls import Resolver404, resolve
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.api.articles import ArticleSummarySerializer, summaries_data
from articles.api.entity_serializers import EntitySerializer
from articles.api.errors import error_response
from articles.api.permissions import IsCuratorOrStaff
from articles.models import Article, Entity
from articles.selectors import entities as selectors
from articles.selectors import entity_lists
from articles.selectors.articles import article_summary_rows
from articles.services.access import AlreadyFree, article_free_now
from articles.services.aliases import entity_alias_add, entity_alias_remove
from articles.services.curation import CurationError, entities_merge, entity_rename

ENTITY_ERRORS = {
    401: error_response("No credentials"),
    403: error_response("Neither curator nor staff"),
    404: error_response("No such entity"),
}


class Conflict(exceptions.APIException):
    """409: the request is fine but the object is already in the asked-for state."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Already done."
    default_code = "conflict"


class RenameSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=200, help_text="The new canonical name")


class AliasSerializer(serializers.Serializer[dict[str, Any]]):
    alias = serializers.CharField(max_length=200, help_text="Another name for the entity")


INTO_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "name": {"type": "string"}},
            "required": ["kind", "name"],
        },
        {"type": "string", "description": "The entity's API URL"},
    ]
}


@extend_schema_field(INTO_SCHEMA)
class EntityRefField(serializers.Field):
    """An entity as ``{"kind", "name"}`` or as its API URL; resolves to the entity."""

    default_error_messages = {
        "invalid": 'Give {{"kind": …, "name": …}} or the entity\'s API URL.',
        "unknown": "No such entity.",
    }

    def to_internal_value(self, data: Any) -> Entity:
        if isinstance(data, str):
            kind, name = self._from_url(data)
        elif isinstance(data, dict) and all(isinstance(data.get(k), str) for k in ("kind", "name")):
            kind, name = data["kind"], data["name"]
        else:
            self.fail("invalid")
        entity = selectors.entity_get(kind=kind, name=name)
        if entity is None:
            self.fail("unknown")
        return entity

    def _from_url(self, url: str) -> tuple[str, str]:
        try:
            match = resolve(unquote(urlsplit(url).path))
        except (Resolver404, ValueError):
            self.fail("invalid")
        if match.view_name != "api:entity-detail" or "format" in match.kwargs:
            self.fail("invalid")
        return str(match.kwargs["kind"]), str(match.kwargs["name"])

    def to_representation(self, value: Entity) -> dict[str, str]:
        return {"kind": value.kind, "name": value.name}


class MergeSerializer(serializers.Serializer[dict[str, Any]]):
    into = EntityRefField(help_text="The entity that stays; this one becomes its alias")


class _EntityCurationView(APIView):
    permission_classes = [IsAuthenticated, IsCuratorOrStaff]

    def entity(self, kind: str, name: str) -> Entity:
        # Curators read everything, so no paywall filter; a former name finds its entity.
        entity = selectors.entity_get(kind=kind, name=name)
        if entity is None:
            raise exceptions.NotFound("No such entity.")
        return entity

    def change(
        self,
        request: Request,
        entity: Entity,
        body: type[serializers.Serializer[dict[str, Any]]],
        field: str,
        service: Callable[[Entity, dict[str, Any]], Entity],
    ) -> Response:
        """Validate ``body``, run ``service`` on the entity; a refusal is a 400 on ``field``."""
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            changed = service(entity, data.validated_data)
        except CurationError as error:
            raise exceptions.ValidationError({field: [str(error)]}) from None
        return self.answer(request, changed)

    def answer(self, request: Request, entity: Entity) -> Response:
        # The list's row: with its mention count, as ``GET entities/`` gives it.
        shown = entity_lists.entity_list(user=request.user).filter(pk=entity.pk).first() or entity
        return Response(EntitySerializer(shown, context={"request": request}).data)


class EntityRenameView(_EntityCurationView):
    @extend_schema(
        summary="Rename an entity: the old name becomes an alias (recorded as yours)",
        request=RenameSerializer,
        responses={
            200: EntitySerializer,
            400: error_response("A bad or taken name"),
            **ENTITY_ERRORS,
        },
        examples=[OpenApiExample("A new name", value={"name": "faccessat2"}, request_only=True)],
    )
    def post(self, request: Request, kind: str, name: str) -> Response:
        return self.change(
            request,
            self.entity(kind, name),
            RenameSerializer,
            "name",
            lambda entity, data: entity_rename(entity=entity, name=data["name"], user=request.user),
        )


class EntityMergeView(_EntityCurationView):
    @extend_schema(
        summary="Merge this entity into another of its kind (recorded as yours)",
        description="Its mentions move to `into`, and its names become aliases of `into`, so "
        "its URLs answer 301 from then on. The answer is the surviving entity.",
        request=MergeSerializer,
        responses={200: EntitySerializer, 400: error_response("A bad target"), **ENTITY_ERRORS},
        examples=[
            OpenApiExample(
                "Into another",
                value={"into": {"kind": "syscall", "name": "faccessat2"}},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, kind: str, name: str) -> Response:
        return self.change(
            request,
            self.entity(kind, name),
            MergeSerializer,
            "into",
            lambda entity, data: entities_merge(
                source=entity, target=data["into"], user=request.user
            ),
        )


class EntityAliasesView(_EntityCurationView):
    @extend_schema(
        summary="Add an alias: extraction links that name to this entity (recorded as yours)",
        request=AliasSerializer,
        responses={
            200: EntitySerializer,
            400: error_response("A bad or taken name"),
            **ENTITY_ERRORS,
        },
        examples=[OpenApiExample("A former name", value={"alias": "faccessat"}, request_only=True)],
    )
    def post(self, request: Request, kind: str, name: str) -> Response:
        return self.change(
            request,
            self.entity(kind, name),
            AliasSerializer,
            "alias",
            lambda entity, data: entity_alias_add(
                entity=entity, alias=data["alias"], user=request.user
            ),
        )


class EntityAliasView(_EntityCurationView):
    @extend_schema(
        summary="Remove an alias (recorded as yours); linked mentions stay",
        request=None,
        responses={200: EntitySerializer, **ENTITY_ERRORS, 404: error_response("No such alias")},
    )
    def delete(self, request: Request, kind: str, name: str, alias: str) -> Response:
        entity = self.entity(kind, name)
        try:
            entity = entity_alias_remove(entity=entity, alias=alias, user=request.user)
        except CurationError as error:
            raise exceptions.NotFound(str(error)) from None
        return self.answer(request, entity)


class ArticleFreeView(APIView):
    permission_classes = [IsAuthenticated, IsCuratorOrStaff]

    @extend_schema(
        summary="Make a subscriber-only article free to read from today (recorded as yours)",
        description="409 when its text is already free to everyone.",
        request=None,
        responses={
            200: ArticleSummarySerializer,
            401: error_response("No credentials"),
            403: error_response("Neither curator nor staff"),
            404: error_response("No such article"),
            409: error_response("Already free"),
        },
    )
    def post(self, request: Request, lwn_id: int) -> Response:
        article = Article.objects.filter(lwn_id=lwn_id).only("pk", "title").first()
        if article is None:
            raise exceptions.NotFound(f"No article with LWN id {lwn_id}.")
        try:
            article_free_now(article=article, user=request.user)
        except AlreadyFree as error:
            raise Conflict(str(error)) from None
        shown = article_summary_rows().get(pk=article.pk)
        return Response(summaries_data([shown], request)[0])
