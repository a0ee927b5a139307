"""What one linking run keeps between its batches: the people, the aliases, the entities.

``articles.services.linking`` links texts in batches; a ``Linker`` spares each batch
reading again the names of authors (bylines are "person" entities), the curators'
aliases and the entities already resolved, and creates the missing entities.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from articles.models import Author, Entity

# (kind, name): an entity's natural key.
EntityKey = tuple[str, str]


class Linker:
    """Caches for one linking run: people from bylines, aliases, entities by key."""

    def __init__(self) -> None:
        self.people = frozenset(Author.objects.values_list("name", flat=True))
        self.aliases: dict[EntityKey, int] = {}
        for pk, kind, aliases in Entity.objects.exclude(aliases=[]).values_list(
            "pk", "kind", "aliases"
        ):
            for alias in aliases:
                self.aliases[(kind, str(alias).lower())] = pk
        self.entities: dict[EntityKey, Entity] = {}
        self.counts: Counter[str] = Counter()

    def forget(self, counts: Counter[str]) -> None:
        """Back to ``counts`` and no cached entity: a batch rolled back, its rows are gone."""
        self.entities.clear()
        self.counts = counts.copy()

    def resolve(self, keys: set[EntityKey]) -> dict[EntityKey, Entity]:
        """The entity for each (kind, name), creating missing ones; aliases win."""
        by_alias: dict[EntityKey, int] = {}
        wanted: set[EntityKey] = set()
        for key in keys - self.entities.keys():
            pk = self.aliases.get((key[0], key[1].lower()))
            if pk is None:
                wanted.add(key)
            else:
                by_alias[key] = pk
        if by_alias:
            found = Entity.objects.select_related("introduced_release").in_bulk(by_alias.values())
            for key, pk in by_alias.items():
                if pk in found:
                    self.entities[key] = found[pk]
                else:
                    wanted.add(key)
        if wanted:
            self._fetch(wanted)
            missing = wanted - self.entities.keys()
            if missing:
                # ignore_conflicts: a concurrent import may create the same entity.
                Entity.objects.bulk_create(
                    [Entity(kind=k, name=n) for k, n in sorted(missing)], ignore_conflicts=True
                )
                self.counts["entities_created"] += len(missing)
                self._fetch(missing)
        return {k: self.entities[k] for k in keys if k in self.entities}

    def _fetch(self, keys: set[EntityKey]) -> None:
        by_kind: dict[str, list[str]] = {}
        for kind, name in keys:
            by_kind.setdefault(kind, []).append(name)
        query = Q()
        for kind, names in by_kind.items():
            query |= Q(kind=kind, name__in=names)
        for entity in Entity.objects.filter(query).select_related("introduced_release"):
            self.entities[(entity.kind, entity.name)] = entity
