"""The speed layer: counting, facets, phrases and lengths read from whoosh's internals.

These modules read private parts of whoosh-reloaded 2.7.5 (the W3 codec's
posting blocks, a segment's per-document columns, a column's file offsets), which
is why ``requirements/base.in`` pins that exact version. Each read has a slower
fallback through whoosh's public API for shapes it does not know; taking one is
counted in ``paths.FALLBACK`` and logged, and ``tests/search/whoosh/`` fails
when a search over a small index takes any, so a whoosh upgrade cannot quietly
slow search down.

- ``postings``: a term's documents and positions, a block at a time;
- ``docsets``: the documents a query matches, as sets;
- ``phrases``: exact phrases checked from positions;
- ``lengths``: document field lengths for BM25F, read once per segment;
- ``facet_columns``: facet counts and range checks from per-document columns;
- ``segment_cache``: what is decoded from a segment, kept while it is in use.
"""
