"""Plain-SQL plumbing for the import's hot path: single-row writes and bulk inserts."""
