"""The whoosh engine (``LWNKB_SEARCH_BACKEND=whoosh``, the embedded default).

An index folder kept in step with the tables by the index tasks, one writer at a
time, rebuilt into a new generation and swapped in (``index``). Searches take the
query language of ``articles.search.query`` and return the facade's
``SearchResults``.

- ``backend``: this engine behind the facade's ``Backend`` protocol;
- ``schema``: the index's fields and schema version; ``fields``: documents → fields;
- ``rows``: model rows → documents; ``batches``: rows loaded in bounded chunks;
- ``index``: generations, the write lock, writers, rebuild and swap;
- ``compile`` and ``plan``: parsed queries → the whoosh query a reader may see;
- ``searcher``: running it into ``SearchResults``; ``suggest``: "did you mean";
- ``internals``: the speed layer, which reads whoosh's private internals.

``import whoosh`` in these modules is the library: imports are absolute. Nothing
here imports ``articles.search.pg``.
"""
