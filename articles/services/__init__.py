"""Write paths: fetch, ingest, store, link, curate."""
