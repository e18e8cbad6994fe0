"""Local development stack: what `make run` and `make test` use on a machine without Docker."""
