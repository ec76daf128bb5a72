"""Publication: the public list (masked), what changed, and the notices of the period."""
