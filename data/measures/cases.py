"""Case arithmetic: transmission chains from infector links, daily series, 7-day averages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

SEVEN_DAYS = 7


@dataclass(frozen=True)
class ChainPosition:
    """Where a case sits in its transmission chain: the chain's index case and its generation."""

    root: int
    generation: int


@dataclass(frozen=True)
class Chain:
    """A transmission chain: its index case, how many cases it holds, how many generations."""

    root: int
    size: int
    generations: int
    members: tuple[int, ...]


def chain_positions(infector_of: Mapping[int, int | None]) -> dict[int, ChainPosition]:
    """Each case's index case and generation (the index case is generation 1).

    A case whose infector is unknown, or not among the cases given (e.g. reported later),
    starts a chain of its own. A loop in the links (a data error) is cut where it closes.
    """
    positions: dict[int, ChainPosition] = {}
    for case in infector_of:
        path: list[int] = []
        on_path: set[int] = set()
        current: int | None = case
        while current is not None and current not in positions:
            if current in on_path:  # a loop: the case that closes it becomes an index case
                positions[current] = ChainPosition(root=current, generation=1)
                break
            path.append(current)
            on_path.add(current)
            infector = infector_of.get(current)
            if infector is None or infector not in infector_of:
                positions[current] = ChainPosition(root=current, generation=1)
                path.pop()
                break
            current = infector
        # Walk back down the path: each case is one generation after its infector.
        for member in reversed(path):
            if member in positions:
                continue
            parent = positions[infector_of[member]]
            positions[member] = ChainPosition(root=parent.root, generation=parent.generation + 1)
    return positions


def transmission_chains(infector_of: Mapping[int, int | None]) -> list[Chain]:
    """Every chain (single cases included), largest first, then deepest, then by index case."""
    members: dict[int, list[int]] = {}
    depth: dict[int, int] = {}
    for case, position in chain_positions(infector_of).items():
        members.setdefault(position.root, []).append(case)
        depth[position.root] = max(depth.get(position.root, 0), position.generation)
    chains = [
        Chain(root=root, size=len(cases), generations=depth[root], members=tuple(sorted(cases)))
        for root, cases in members.items()
    ]
    return sorted(chains, key=lambda chain: (-chain.size, -chain.generations, chain.root))


def daily_series(counts: Mapping[date, int], start: date, end: date) -> list[tuple[date, int]]:
    """Counts for every day from `start` to `end` inclusive; days without a count are zero."""
    days = (end - start).days + 1
    return [
        (start + timedelta(days=offset), int(counts.get(start + timedelta(days=offset), 0)))
        for offset in range(max(0, days))
    ]


def trailing_average(values: Sequence[float], window: int = SEVEN_DAYS) -> list[float | None]:
    """The mean of each value and the `window - 1` before it; None until a full window exists."""
    if window < 1:
        raise ValueError("window must be at least 1")
    averages: list[float | None] = []
    running = 0.0
    for index, value in enumerate(values):
        running += value
        if index >= window:
            running -= values[index - window]
        averages.append(running / window if index >= window - 1 else None)
    return averages


def percent_of(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole` (e.g. contacts under control); None when whole is 0."""
    if whole <= 0:
        return None
    return 100.0 * part / whole
