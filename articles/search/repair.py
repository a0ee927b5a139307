"""A search that finds the index unusable asks for a rebuild, once in a while.

``archive_search`` calls this before it raises SearchUnavailable, so an index
that was lost, damaged or left outdated by an upgrade is repaired without
waiting for an import's indexing step. The first such search queues
``index_rebuild`` (which skips an index that is current by then); later
searches within ``REPAIR_INTERVAL`` do not queue it again.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

from articles.services.enqueue import BROKER_ERRORS, task_enqueue, tasks_run_inline

logger = logging.getLogger("lwnkb.search")

# A rebuild of a big archive takes minutes; asking more often would only queue
# rebuilds that find the index current. The cache is shared by every process
# when LWNKB_CACHE_URL is Redis, and per process otherwise.
REPAIR_INTERVAL = 10 * 60
REPAIRABLE = frozenset({"missing", "outdated", "corrupt"})
_ASKED = "lwnkb:search-index-repair-asked"


def index_repair_request(*, reason: str) -> bool:
    """Queue a rebuild of an index a search found ``reason``; True when one was queued.

    Never runs it here: with no broker (tasks inline) the rebuild would hold the
    web request for minutes, so then the next import's indexing step, or
    ``lwn_reindex``, repairs it (``make run`` runs ``lwn_reindex --if-needed``
    at start).
    """
    if reason not in REPAIRABLE or tasks_run_inline():
        return False
    if not cache.add(_ASKED, reason, timeout=REPAIR_INTERVAL):
        return False
    try:
        task_enqueue("articles.tasks.index_rebuild", True)
    except BROKER_ERRORS as exc:
        cache.delete(_ASKED)  # the next search asks again
        logger.warning("search index %s: rebuild not queued (broker unavailable: %s)", reason, exc)
        return False
    logger.warning("search index %s: a search queued its rebuild", reason)
    return True
