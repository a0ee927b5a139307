"""``make bench-archive``: import a generated LWN archive the way a user would, then
measure search, pages, the API, concurrency and maintenance at that size.

One module per stage (``stage_*.py``); ``target.py`` names the database, index, Redis
database and settings one scale uses; ``procs.py`` samples memory; ``results.py``
merges each stage's figures into ``var/bench/archive-<scale>.json``.
"""
