"""A generated LWN archive at any size: ``python -m bench.archive --out DIR --scale S``.

Deterministic for a seed; writes LWN-format HTML (every era's layout and comment
markup) and a ``manifest.json`` of what it wrote. The shape is in ``shape.py``.
"""
