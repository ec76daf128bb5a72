"""Feeds: reading station and registry files, validating rows, turning them into events."""
