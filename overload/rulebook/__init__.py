"""Rulebooks: parameters with their legal sources, and durable-rules conditions over facts."""
