"""The article page: body, byline, release tags and the whole comment thread."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.selectors.articles import (
    article_get,
    article_releases,
    comment_thread,
    thread_rows,
)


@require_safe
def article_detail(request: HttpRequest, lwn_id: int) -> HttpResponse:
    article = article_get(lwn_id=lwn_id)
    if article is None:
        raise Http404("No such article")
    locked = article.is_locked_for(request.user)
    # Comments on a locked article are subscriber text too.
    thread = [] if locked else comment_thread(article=article)
    context = {
        "article": article,
        "locked": locked,
        "releases": article_releases(article=article),
        "thread": thread,
        "rows": thread_rows(thread),
        "comment_total": sum(1 + node.descendants for node in thread),
    }
    return render(request, "articles/article_detail.html", context)
