"""Sending: claim a stored notification, render it, hand it to its channel, store the outcome."""
