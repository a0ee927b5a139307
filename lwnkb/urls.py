from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

handler400 = "lwnkb.bad_input.bad_request_view"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("", include("articles.urls")),
]

if settings.BENCH_FLOOR:
    from lwnkb.benchfloor import BenchFloorDRF, bench_floor, bench_floor_query

    urlpatterns[:0] = [
        path("bench/floor/", bench_floor, name="bench-floor"),
        path("bench/floor-query/", bench_floor_query, name="bench-floor-query"),
        path("bench/floor-drf/", BenchFloorDRF.as_view(), name="bench-floor-drf"),
    ]
