"""``manage.py lwn_relink``."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from articles.models import Article, Entity, ImportRun, Mention


def relink(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("lwn_relink", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_relinks_with_progress_and_changes_nothing_the_second_time(
    archive: dict[str, ImportRun],
) -> None:
    n = Article.objects.count()
    Mention.objects.filter(entity__kind="syscall").delete()
    out, err = relink()
    assert f"relinked {n} article(s)" in out
    assert "mentions_created" in out
    assert f"relink [1/1] {n}/{n} articles" in err
    before = Mention.objects.count()
    out, _ = relink()
    assert out.strip() == f"relinked {n} article(s): articles {n}"
    assert Mention.objects.count() == before


def test_it_writes_nothing_on_a_dry_run(archive: dict[str, ImportRun]) -> None:
    Mention.objects.all().delete()
    Entity.objects.all().delete()
    out, _ = relink("--dry-run")
    assert out.startswith(f"dry run, nothing written: relinked {Article.objects.count()} article")
    assert "mentions_created" in out
    assert not Mention.objects.exists()
    assert not Entity.objects.exists()
