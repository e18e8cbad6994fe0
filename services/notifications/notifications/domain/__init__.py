"""Pure notification rules: which event means which message on which channel."""
