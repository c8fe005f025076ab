"""Counts and aggregates: the gift list's facet counts (facets.py) and the activity of
countries, leaders and visits (activity.py), read from tables that PostgreSQL keeps by
trigger, or counted from the records on SQLite (backends.py)."""

from ..backends import backend


def available():
    """Whether the database keeps the aggregates these counts read (backends.py)."""
    return backend().keeps_aggregates
