"""Admin for entities and the mention review queue.

Every change goes through ``articles.services.curation`` so it records who
and when, and so re-imports and ``lwn_relink`` respect it: the mention list
opens on the pending queue, bulk actions accept or reject, the "Merge"
action folds entities together after a confirmation page, renaming is the
change form, and "Add mention" links an entity to a text by hand.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.links import canonical
from articles.models import Entity, Mention, MentionStatus
from articles.services.aliases import entity_aliases_edited
from articles.services.curation import (
    CurationError,
    entities_merge,
    entity_rename,
    mention_add_manual,
    mention_curate,
    name_holder_check,
)

_TARGETS = ("article", "merge_item", "hardware", "comment")


class EntityForm(forms.ModelForm[Entity]):
    class Meta:
        model = Entity
        fields = ["kind", "name", "description", "aliases", "introduced_in", "introduced_release"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, name = data.get("kind"), data.get("name")
        if kind and name:
            wanted = canonical(kind, name)
            if not wanted:
                self.add_error("name", f"Not a valid {kind} name.")
                return data
            try:
                name_holder_check(kind=kind, name=wanted, entity=self.instance)
            except CurationError as error:
                self.add_error("name", f"{error}.")
            data["name"] = wanted
        if kind and isinstance(data.get("aliases"), list):
            data["aliases"] = self._aliases(kind, data["aliases"])
        return data

    def _aliases(self, kind: str, aliases: list[Any]) -> list[str]:
        """Typed aliases in canonical form; none may be another entity's name or alias."""
        kept: list[str] = []
        for alias in aliases:
            name = canonical(kind, str(alias))
            if not name:
                self.add_error("aliases", f"{alias!r} is not a valid {kind} name.")
                continue
            try:
                name_holder_check(kind=kind, name=name, entity=self.instance)
            except CurationError as error:
                self.add_error("aliases", f"{error}.")
            kept.append(name)
        return kept


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Entity.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The entity that stays; the others become its aliases.",
    )

    def __init__(self, *args: Any, entities: QuerySet[Entity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = entities  # type: ignore[attr-defined]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin[Entity]):
    form = EntityForm
    list_display = ["name", "kind", "introduced_release", "mention_total", "curated_by"]
    list_filter = ["kind", "introduced_release"]
    search_fields = ["name", "description"]
    list_select_related = ["introduced_release", "curated_by"]
    raw_id_fields = ["introduced_in"]
    readonly_fields = ["mentions_link", "curated_by", "curated_at", "created_at"]
    actions = ["merge"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entity]:
        return super().get_queryset(request).annotate(mention_total=Count("mentions"))

    @admin.display(description="mentions", ordering="mention_total")
    def mention_total(self, obj: Entity) -> int:
        return int(getattr(obj, "mention_total", 0))

    @admin.display(description="Mentions")
    def mentions_link(self, obj: Entity) -> SafeString | str:
        # A link, not an inline: a byline name can have thousands of mentions.
        if not obj.pk:
            return "-"
        url = reverse("admin:articles_mention_changelist")
        return format_html(
            '<a href="{}?entity__id__exact={}&amp;status=all">Review all mentions</a>', url, obj.pk
        )

    def save_model(self, request: HttpRequest, obj: Entity, form: Any, change: bool) -> None:
        # The aliases as they were, or as a rename in this same save left them.
        before = list(form.initial.get("aliases") or []) if change else []
        if change and "name" in form.changed_data:
            renamed = entity_rename(
                entity=Entity.objects.get(pk=obj.pk), name=obj.name, user=request.user
            )
            obj.name, obj.curated_at = renamed.name, renamed.curated_at
            obj.curated_by_id = renamed.curated_by_id
            # Keep aliases typed into the same form, and the old name the rename added.
            merged = dict.fromkeys([*renamed.aliases, *obj.aliases])
            obj.aliases = [a for a in merged if a.lower() != renamed.name.lower()]
            before = list(renamed.aliases)
        super().save_model(request, obj, form, change)
        if change and "aliases" in form.changed_data:
            entity_aliases_edited(entity=obj, before=before, user=request.user)

    @admin.action(description="Merge selected entities into one", permissions=["change"])
    def merge(self, request: HttpRequest, queryset: QuerySet[Entity]) -> TemplateResponse | None:
        entities = queryset.order_by("name")
        if entities.count() < 2 or entities.values("kind").distinct().count() != 1:
            self.message_user(
                request, "Select two or more entities of the same kind.", messages.ERROR
            )
            return None
        if "apply" in request.POST:
            form = MergeForm(request.POST, entities=entities)
            if form.is_valid():
                target = form.cleaned_data["target"]
                sources = [e for e in entities if e.pk != target.pk]
                for source in sources:
                    target = entities_merge(source=source, target=target, user=request.user)
                self.message_user(
                    request, f"Merged {len(sources)} entit(ies) into {target}.", messages.SUCCESS
                )
                return None
        else:
            busiest = entities.annotate(n=Count("mentions")).order_by("-n", "name").first()
            form = MergeForm(entities=entities, initial={"target": busiest})
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge entities",
            "opts": self.model._meta,
            "entities": entities,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/entity/merge.html", context)


class StatusFilter(admin.SimpleListFilter):
    """Opens on the review queue (pending) unless another status is chosen."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*MentionStatus.choices, ("all", "All")]

    def choices(self, changelist: Any) -> Any:
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or MentionStatus.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Mention]) -> QuerySet[Mention]:
        value = self.value() or MentionStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class MentionForm(forms.ModelForm[Mention]):
    class Meta:
        model = Mention
        fields = ["entity", *_TARGETS, "sentence", "status"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "article" not in self.fields:
            return data  # a change form: the text is read-only there
        if sum(1 for t in _TARGETS if data.get(t)) != 1:
            raise forms.ValidationError(
                "Choose exactly one text: an article, a merge-window item, a device or a comment."
            )
        return data


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin[Mention]):
    form = MentionForm
    list_display = ["entity", "target_label", "short_sentence", "source", "status", "curated_by"]
    list_filter = [StatusFilter, "source", "entity__kind"]
    search_fields = ["entity__name", "sentence"]
    list_select_related = ["entity", "curated_by"]
    raw_id_fields = ["entity", *_TARGETS]
    actions = ["accept", "reject"]

    def get_fields(self, request: HttpRequest, obj: Mention | None = None) -> tuple[str, ...]:
        fields = ("entity", *_TARGETS, "sentence")
        if obj is None:  # a manual link is accepted by whoever adds it
            return fields
        return (*fields, "status", "source", "curated_by", "curated_at", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Mention | None = None) -> list[str]:
        if obj is None:
            return []
        return ["entity", *_TARGETS, "source", "curated_by", "curated_at", "created_at"]

    @admin.display(description="sentence")
    def short_sentence(self, obj: Mention) -> str:
        return obj.sentence[:120]

    def save_model(self, request: HttpRequest, obj: Mention, form: Any, change: bool) -> None:
        if not change:
            target = next(getattr(obj, t) for t in _TARGETS if getattr(obj, f"{t}_id"))
            saved = mention_add_manual(
                entity=obj.entity, target=target, sentence=obj.sentence, user=request.user
            )
            obj.pk, obj.source, obj.status = saved.pk, saved.source, saved.status
            obj.curated_by_id, obj.curated_at = saved.curated_by_id, saved.curated_at
            obj._state.adding = False
            return
        if form.changed_data:
            obj.curated_by_id, obj.curated_at = request.user.pk, timezone.now()
        decided = obj.status if "status" in form.changed_data else None
        if decided is not None:
            # The service makes the decision (and records it, from the status as it was).
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if decided is not None:
            mention_curate(mentions=[obj], status=decided, user=request.user)
            obj.status = decided

    def _curate(self, request: HttpRequest, queryset: QuerySet[Mention], status: str) -> int:
        return mention_curate(mentions=queryset, status=status, user=request.user)

    @admin.action(description="Accept selected mentions", permissions=["change"])
    def accept(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        n = self._curate(request, queryset, MentionStatus.ACCEPTED)
        self.message_user(request, f"Accepted {n} mention(s).", messages.SUCCESS)

    @admin.action(description="Reject selected mentions", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        n = self._curate(request, queryset, MentionStatus.REJECTED)
        self.message_user(request, f"Rejected {n} mention(s).", messages.SUCCESS)
