"""Pure booking rules: no I/O here, so every rule is a table-driven unit test away."""
