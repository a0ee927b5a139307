"""What happens after an import commits, as one explicit sequence.

import → store (``ingest``) → link entities → update the search index.
``import_committed`` queues ``import_followups`` as a task, so a web request
or a CLI import does not wait for it (inline when no broker is configured).
"""

from __future__ import annotations

import logging

from articles.models import ImportRun
from articles.services.linking import entities_link_for_import

logger = logging.getLogger("lwnkb.ingest")


def import_committed(*, run_id: int) -> None:
    """Queue the follow-up work of a committed import."""
    from articles.tasks import after_import  # tasks import the services; avoid a cycle

    after_import.delay(run_id)


def import_followups(*, run_id: int) -> None:
    """Link entities in what import ``run_id`` touched, then refresh the search index."""
    run = ImportRun.objects.filter(pk=run_id).select_related("edition", "raw_page").first()
    if run is None or run.outcome != "ok":
        return
    logger.debug("follow-ups for import %s", run_id)
    entities_link_for_import(run=run)
    # Last, so the index records the mentions linking just wrote. On its own queue
    # ("index"), because only one index writer runs at a time.
    from articles.tasks import index_import  # tasks import the services; avoid a cycle

    index_import.delay(run.pk)
