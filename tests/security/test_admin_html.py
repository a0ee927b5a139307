"""HTML a curator types in admin is stored sanitised, and never served raw.

Article bodies, comment bodies and merge-window items are rendered as HTML by
the pages and returned by the API. Each is posted through its real admin change
form (every field as the browser would send it), then the row, the page and the
API answer are checked for executable markup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from rest_framework.test import APIClient

from articles.models import Article, Comment, MergeWindowItem
from tests.factories import ArticleFactory, CommentFactory, MergeWindowItemFactory
from tests.security.markup import fragment_problems, html_problems, json_problems

pytestmark = pytest.mark.django_db

# Each one was served verbatim before: an event handler, a redirect to another
# site, a script, a frame, javascript: links, inline styles, a form, a base URL.
HOSTILE = (
    '<p>Intro</p><img src=x onerror="alert(1)">'
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
    "<script>alert(2)</script>"
    '<iframe src="https://evil.example/"></iframe>'
    '<a href="javascript:alert(3)">click</a>'
    '<a href="https://lwn.net/" onclick="alert(4)" style="color:red">ok link</a>'
    '<svg onload="alert(5)"></svg>'
    '<form action="https://evil.example/"><input name=q></form>'
    '<base href="https://evil.example/">'
    '<div style="background:url(javascript:alert(6))">styled</div>'
    '<object data="https://evil.example/x.swf"></object>'
    "<p>The end</p>"
)
FORBIDDEN_IN_STORE = (
    "onerror",
    "onclick",
    "onload",
    "<meta",
    "<script",
    "<iframe",
    "javascript:",
    "<svg",
    "<form",
    "<base",
    "style=",
    "<object",
    "evil.example",
)


def form_data(page: str) -> dict[str, Any]:
    """The fields of the admin change form on ``page``, as a browser would submit them."""
    document = cast(lxml.html.HtmlElement, lxml.html.document_fromstring(page))
    form = next(f for f in document.forms if (f.get("id") or "").endswith("_form"))
    data: dict[str, Any] = {}
    for name, value in form.form_values():
        data.setdefault(name, value)
    return data


def admin_post(client: Client, obj: Model, field: str, value: str) -> None:
    url = f"/admin/articles/{obj._meta.model_name}/{obj.pk}/change/"
    data = form_data(client.get(url).content.decode())
    data[field] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def assert_clean(stored: str) -> None:
    lowered = stored.lower()
    assert not [bad for bad in FORBIDDEN_IN_STORE if bad in lowered], stored
    assert fragment_problems(stored) == []
    # The harmless content survives: the sanitizer cleaned, it did not drop everything.
    assert "Intro" in stored
    assert "The end" in stored
    assert "ok link" in stored


@pytest.fixture
def admin_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def article() -> Article:
    return cast(Article, ArticleFactory(subscriber_only=False, date=dt.date(2020, 6, 11)))


def test_an_article_body_edited_in_admin_is_stored_and_served_sanitised(
    admin_client: Client, article: Article
) -> None:
    admin_post(admin_client, article, "body_html", HOSTILE)
    article.refresh_from_db()
    assert_clean(article.body_html)
    page = Client().get(f"/articles/{article.lwn_id}/").content.decode()
    assert "ok link" in page
    assert html_problems(page) == []
    assert "evil.example" not in page
    data = APIClient().get(f"/api/v1/articles/{article.lwn_id}/").json()
    comments = APIClient().get(f"/api/v1/comments/?article={article.lwn_id}").json()
    assert json_problems(comments) == []
    assert "ok link" in data["body_html"]
    assert json_problems(data) == []


def test_a_comment_body_edited_in_admin_is_stored_and_served_sanitised(
    admin_client: Client, article: Article
) -> None:
    comment = cast(Comment, CommentFactory(article=article, body_html="<p>I agree.</p>"))
    admin_post(admin_client, comment, "body_html", HOSTILE)
    comment.refresh_from_db()
    assert_clean(comment.body_html)
    page = Client().get(f"/articles/{article.lwn_id}/").content.decode()
    assert "ok link" in page
    assert html_problems(page) == []
    assert "evil.example" not in page


def test_a_merge_window_item_edited_in_admin_is_stored_and_served_sanitised(
    admin_client: Client, article: Article
) -> None:
    item = cast(MergeWindowItem, MergeWindowItemFactory(article=article, html="<p>f()</p>"))
    admin_post(admin_client, item, "html", HOSTILE)
    item.refresh_from_db()
    assert_clean(item.html)
    page = Client().get(f"/releases/{item.release.version}/").content.decode()
    assert "ok link" in page
    assert html_problems(page) == []


def test_admin_refuses_html_nested_deeper_than_any_page(
    admin_client: Client, article: Article
) -> None:
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(admin_client.get(url).content.decode())
    data["body_html"] = "<ul><li>x" * 2_000 + "<blockquote>y" * 2_000
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "more than 512 deep" in response.content.decode()
    article.refresh_from_db()
    assert article.body_html == "<p>Some text about the kernel.</p>"


@pytest.mark.parametrize(
    ("model", "field"),
    [(Article, "body_html"), (Comment, "body_html"), (MergeWindowItem, "html")],
)
def test_every_orm_write_path_sanitises_stored_html(
    article: Article, model: Any, field: str
) -> None:
    """save(), QuerySet.update() and bulk_update(): a write path added later is covered too."""
    comment = CommentFactory(article=article)
    item = MergeWindowItemFactory(article=article)
    obj: Any = {Article: article, Comment: comment, MergeWindowItem: item}[model]
    setattr(obj, field, HOSTILE)
    obj.save()
    assert_clean(getattr(model.objects.get(pk=obj.pk), field))
    model._default_manager.filter(pk=obj.pk).update(**{field: HOSTILE})
    assert_clean(getattr(model.objects.get(pk=obj.pk), field))
    setattr(obj, field, HOSTILE)
    model._default_manager.bulk_update([obj], [field])
    assert_clean(getattr(model.objects.get(pk=obj.pk), field))


def test_the_migration_sanitises_rows_stored_raw_before(article: Article) -> None:
    """Rows written raw before the field cleaned every write (raw SQL stands in for them)."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET body_html = %s WHERE id = %s", [HOSTILE, article.pk]
        )
    migration = import_module("articles.migrations.0009_sanitized_html_fields")
    migration.sanitize_stored_html(apps, None)
    article.refresh_from_db()
    assert_clean(article.body_html)
