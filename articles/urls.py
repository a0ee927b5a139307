from __future__ import annotations

from django.urls import path

from articles.views.home import home

app_name = "articles"

urlpatterns = [
    path("", home, name="home"),
]
