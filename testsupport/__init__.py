"""Fixtures every test tier shares, loaded as pytest plugins by the root conftest.py."""
