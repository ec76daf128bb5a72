"""Projections: state derived from the log by replaying it; never a source of truth."""
