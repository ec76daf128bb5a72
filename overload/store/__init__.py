"""Storage: the append-only event log and the quarantine, on SQLite or PostgreSQL."""
