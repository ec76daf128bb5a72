"""Evaluation: windows, counts and shares over the projections, matched by the rulebook."""
