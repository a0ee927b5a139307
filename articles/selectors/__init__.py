"""Read paths used by the pages, the API, the feeds and the commands, one module per subject.

``articles`` (the paywall rule for related rows, bylines, comment threads),
``editions``, ``releases``, ``hardware``, ``imports`` (import history and archive
counts) and ``entities``.
"""
