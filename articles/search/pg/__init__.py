"""The PostgreSQL full-text backend (``LWNKB_SEARCH_BACKEND=postgres``).

The tables are the index: generated tsvector columns with GIN indexes on articles,
comments, merge-window items and hardware devices (opt-in, ``ddl``: added by
``migrate`` or ``lwn_reindex`` under this backend), so an import updates them in its
own transaction and there is no index to build, lock or repair. Searches take the
query language of ``articles.search.query`` and return the facade's
``SearchResults``, with the same paywall rule as whoosh.

- ``branches``: where each document type's title, date, release… live in SQL;
- ``compile`` and ``predicates``: parsed queries → a predicate tree → SQL per table;
- ``statements``: the three statements a search runs;
- ``search``: running them into ``SearchResults``; ``snippets``: ts_headline → HTML;
- ``suggest``: "did you mean"; ``status``: what ``index_status()`` reports;
- ``ddl``: adding and dropping the full-text columns;
- ``backend``: this engine behind the facade's ``Backend`` protocol.

Nothing here imports whoosh, or ``articles.search.whoosh``.
"""
