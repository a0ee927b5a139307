"""Write paths: fetch from lwn.net (``fetch/``), ingest, store (with the plain SQL of
``sql/``), link, curate; ``enqueue`` queues a task by name for the code below tasks."""
