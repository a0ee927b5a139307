"""Author pages: ``/authors/`` and ``/authors/<name>/`` (articles per year, what they
write about, their newest articles)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.selectors import authors as selectors
from articles.views import charts

ARTICLES_PAGE = 30
AUTHORS_PAGE = 200


@require_safe
def author_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.author_list(), AUTHORS_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/author_list.html", {"page": page})


@require_safe
def author_detail(request: HttpRequest, name: str) -> HttpResponse:
    author = selectors.author_get(name=name)
    if author is None:
        raise Http404("No such author")
    if name != author.name:
        # A login or another case lands on the one bookmarkable URL.
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        url = reverse("articles:author-detail", kwargs={"name": author.name})
        return HttpResponseRedirect(url + query, status=301)
    articles = selectors.author_articles(author=author)
    page = Paginator(articles, ARTICLES_PAGE).get_page(request.GET.get("page"))
    context = {
        "author": author,
        "page": page,
        "charts": charts.author_charts(author, user=request.user),
    }
    return render(request, "articles/author_detail.html", context)
