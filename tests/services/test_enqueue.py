from __future__ import annotations

import pytest

from articles.models import ImportRun
from articles.services.enqueue import task_enqueue, tasks_run_inline
from tests.factories import ArticleFactory


def test_it_refuses_a_task_name_that_no_task_has():
    with pytest.raises(KeyError):
        task_enqueue("articles.tasks.no_such_task", 1)


@pytest.mark.django_db
def test_it_runs_a_queued_task_inline_without_a_broker():
    """Without a broker, queueing by name does what ``delay`` would: runs it now."""
    assert tasks_run_inline()
    article = ArticleFactory.create()
    run = ImportRun.objects.create(source="test", outcome="ok", edition=article.edition)

    task_enqueue("articles.tasks.after_import", run.pk)

    run.refresh_from_db()
    assert run.followups_done_at is not None
