"""overload: the serious-dishonesty list of over-limit freight transport, from an event log."""

__version__ = "0.1.0"
