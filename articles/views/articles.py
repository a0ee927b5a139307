"""The article page: body, byline, release tags, neighbours in its edition and the whole
comment thread (deep replies folded, a jump to the newest)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.selectors.articles import (
    FOLD_DEPTH,
    article_get,
    article_merge_items,
    article_neighbours,
    comment_thread,
    releases_of,
    thread_newest,
    thread_rows,
)
from articles.views.neighbours import neighbour


@require_safe
def article_detail(request: HttpRequest, lwn_id: int) -> HttpResponse:
    article = article_get(lwn_id=lwn_id)
    if article is None:
        raise Http404("No such article")
    locked = article.is_locked_for(request.user)
    # Comments on a locked article are subscriber text too.
    thread = [] if locked else comment_thread(article=article)
    # ?expand=all opens every comment: "expand all" without JavaScript.
    expand_all = request.GET.get("expand") == "all"
    newest, newest_path = thread_newest(thread)
    rows = thread_rows(thread, fold_depth=None if expand_all else FOLD_DEPTH, keep_open=newest_path)
    merge_items = article_merge_items(article=article)
    around = article_neighbours(article=article)
    context = {
        "article": article,
        "locked": locked,
        "merge_items": merge_items,
        "releases": releases_of(merge_items),
        "thread": thread,
        "rows": rows,
        "folded": sum(1 for row in rows if not row.open),
        "expand_all": expand_all,
        "fold_depth": FOLD_DEPTH,
        "newest": newest.comment if newest else None,
        "comment_total": sum(1 + node.descendants for node in thread),
        "around": around,
        "previous": around and neighbour("article-detail", _id(around.previous), around.previous),
        "next": around and neighbour("article-detail", _id(around.next), around.next),
    }
    return render(request, "articles/article_detail.html", context)


def _id(article: object) -> int | None:
    return getattr(article, "lwn_id", None)
