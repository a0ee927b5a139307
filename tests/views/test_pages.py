from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, EditionFactory, MergeWindowItemFactory

pytestmark = pytest.mark.django_db


def test_it_serves_an_empty_home_page_with_import_advice(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"No editions yet" in response.content


def test_it_lists_editions_and_releases_on_the_home_page_in_eight_queries(
    client: Client, django_assert_num_queries: object
) -> None:
    for _ in range(3):
        edition = EditionFactory.create()
        ArticleFactory.create_batch(2, edition=edition)
    MergeWindowItemFactory.create()
    client.get("/")  # the first request after a new newest edition sums the trends once
    # Editions, releases, the newest edition's features and their bylines, editions per
    # year, the latest merge window's groups, trending entities (locked articles, sums).
    with django_assert_num_queries(8):  # type: ignore[operator]
        response = client.get("/")
    assert response.content.count(b"(2 items)") == 3
    assert b"Linux 5.8" in response.content


@pytest.mark.parametrize(
    "model",
    [
        "rawpage",
        "edition",
        "article",
        "author",
        "comment",
        "kernelrelease",
        "mergewindowitem",
        "hardwaredevice",
        "entity",
        "mention",
        "importrun",
    ],
)
def test_it_shows_every_model_in_admin(client: Client, staff: object, model: str) -> None:
    client.force_login(staff)  # type: ignore[arg-type]
    MergeWindowItemFactory.create()
    response = client.get(reverse(f"admin:articles_{model}_changelist"))
    assert response.status_code == 200


def test_it_keeps_admin_closed_to_anonymous_users(client: Client) -> None:
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_remembers_fields_a_curator_edited(client: Client, staff: object) -> None:
    client.force_login(staff)  # type: ignore[arg-type]
    article = ArticleFactory.create(title="Old title")
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "authors"}
    data.update(
        {
            "title": "Curated title",
            "kind": "feature",
            "edition": article.edition_id,
            "curated_fields": "[]",
        }
    )
    for prefix in ("articleauthor_set", "merge_items", "hardware", "comments"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "Curated title"
    assert "title" in article.curated_fields


@pytest.mark.django_db
def test_it_says_when_only_the_home_page_summary_of_an_article_is_stored(client: Client) -> None:
    teaser = ArticleFactory.create(lwn_id=9001, teaser=True, body_html="<p>A blurb.</p>")
    full = ArticleFactory.create(lwn_id=9002, body_html="<p>The whole text.</p>")
    note = "Only the summary from the LWN.net home page is stored"
    page = client.get(reverse("articles:article-detail", args=[teaser.lwn_id]))
    assert note in page.content.decode()
    page = client.get(reverse("articles:article-detail", args=[full.lwn_id]))
    assert note not in page.content.decode()
