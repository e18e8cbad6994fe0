"""Shared plumbing for every clinic service: one way to configure, log, fail, publish and consume."""
