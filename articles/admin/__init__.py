"""Django admin for curating the archive, one module per area."""

from django.contrib import admin

from articles.admin import content, curation, entities, imports, kernel

__all__ = ["content", "curation", "entities", "imports", "kernel"]

admin.site.site_header = "lwnkb administration"
admin.site.site_title = "lwnkb"
