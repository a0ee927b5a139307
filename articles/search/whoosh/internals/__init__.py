"""The speed layer: counting, facets, phrases and lengths read from whoosh's internals.

These modules read private parts of whoosh's internals (the W3 codec's posting
blocks, a segment's per-document columns, a column's file offsets).

- ``postings``: a term's documents and positions, a block at a time;
- ``docsets``: the documents a query matches, as sets;
- ``phrases``: exact phrases checked from positions;
- ``lengths``: document field lengths for BM25F, read once per segment;
- ``facet_columns``: facet counts and range checks from per-document columns;
- ``segment_cache``: what is decoded from a segment, kept while it is in use.
"""
