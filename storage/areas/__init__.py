"""Indonesia's administrative areas: the vendored list, its import, and finding a place by name."""
