"""Mass-testing arithmetic: completion and the lab backlog."""

from __future__ import annotations


def percent_complete(sampled: int, target: int) -> float:
    """Sampled as a percentage of the target population, capped at 100."""
    if target <= 0:
        raise ValueError(f"target population must be positive: {target}")
    return min(100.0, 100.0 * sampled / target)


def pending_results(sampled: int, resulted: int) -> int:
    """Samples taken whose result is not out yet (the lab backlog)."""
    return max(0, sampled - resulted)
