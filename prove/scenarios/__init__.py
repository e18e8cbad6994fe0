"""The scenarios: each takes a running stack, breaks it, and returns what it observed (common.Observed)."""
