from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "LWN archive"

    def ready(self) -> None:
        from articles.search import index_on_migrate
        from articles.services.curators import curators_group_on_migrate
        from articles.services.tombstones import tombstones_connect

        # The postgres search backend's columns are opt-in (not a migration): computing
        # them on every import would cost a whoosh deployment for nothing.
        post_migrate.connect(index_on_migrate, sender=self, dispatch_uid="lwnkb_search_columns")
        # Runs after django.contrib.auth's handler has created this app's permissions.
        post_migrate.connect(
            curators_group_on_migrate, sender=self, dispatch_uid="lwnkb_curators_group"
        )
        # Deleted rows leave tombstones for the API's deletions list (API sync).
        tombstones_connect()
