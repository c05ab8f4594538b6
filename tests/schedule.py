"""The order the suite's tests run in under pytest-xdist: the slow ones first, spread over
the workers, so that no worker is left running a two-minute test alone at the end.

`--dist worksteal` first hands each worker an equal slice of the collected tests in their
order, then lets an idle worker take half of the busiest one's remaining tests from its
end. Collected as written, the slowest tests (a kill test that seeds PostgreSQL eight
times, the browser tests) sat in the middle of slices and ran last: CI took 17 min, its
last three spent mostly on a few of them. Here each worker's slice starts with its share
of the slow tests (shared out by their expected time, the longest first) and goes on with
fast ones; what is stolen from its end is fast.

Tests sharing a module- or class-scoped fixture (a running app server, a browser) stay
together on one worker, so that the fixture is set up once.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

# Seconds a test takes on CI's 2-core machine with three workers (PostgreSQL variants
# included), measured from `--durations` on 2026-12-07 (a run of 1,298 s on a machine slower
# than the day before's); the longest matching prefix of a test's id counts. Anything not
# named takes about half a second. The kill tests share a module fixture: one group.
EXPECTED_SECONDS = {
    "tests/test_kills.py": 30.0,
    "tests/test_kills.py::test_a_killed_seed_replace": 155.0,
    "tests/test_kills.py::test_a_killed_seed_leaves": 65.0,
    "tests/test_browser_": 25.0,
    "tests/test_browser_signin.py": 40.0,
    "tests/test_browser_offline.py": 27.0,
    "tests/test_browser_two_servers.py": 138.0,
    "tests/test_browser_screen.py::test_a_wall_screen_reads": 98.0,
    "tests/test_browser_screen.py::test_a_wall_screen_has_nothing": 78.0,
    "tests/test_browser_screen.py::test_screen_mode_rotates": 119.0,
    "tests/test_browser_screen_reload.py": 55.0,
    "tests/test_cli.py": 23.0,
    "tests/test_point_in_time.py": 9.0,
    "tests/test_migrations.py::test_a_database_of_each_earlier_release": 15.0,
    "tests/test_migrations.py::test_a_database_of_each_earlier_release_upgrades_with_its_"
    "data_intact[postgresql-0001": 109.0,
    "tests/test_migrations.py::test_a_database_of_each_earlier_release_upgrades_with_its_"
    "data_intact[sqlite-0001": 56.0,
    "tests/test_faults.py": 15.0,
    "tests/test_simulate.py": 10.0,
    "tests/test_demo_generator.py": 2.0,
    "tests/test_bootstrap.py": 8.0,
}
FAST_SECONDS = 0.5
# A group of tests expected to take at least this long goes at the head of a slice.
SLOW_SECONDS = 3.0


def expected_seconds(nodeid: str) -> float:
    """How long a test is expected to take, by the longest prefix of its id named above."""
    matches = [prefix for prefix in EXPECTED_SECONDS if nodeid.startswith(prefix)]
    return EXPECTED_SECONDS[max(matches, key=len)] if matches else FAST_SECONDS


def _group_key(item: pytest.Item) -> str:
    """Tests using a fixture set up once per module (or class) form one group: its module."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info is not None else ()
    shared = any(d.scope in ("module", "class", "package") for ds in definitions for d in ds)
    return item.nodeid.split("::")[0] if shared else item.nodeid


def slice_sizes(count: int, workers: int) -> list[int]:
    """The sizes of the slices worksteal first hands out (as its scheduler computes them)."""
    sizes = []
    for index in range(workers):
        size = count // (workers - index)
        sizes.append(size)
        count -= size
    return sizes


def spread(items: Sequence[pytest.Item], workers: int) -> list[pytest.Item]:
    """The items reordered so that worker k's first slice holds its share of the slow
    groups (longest first), then fast tests in their collected order."""
    groups: dict[str, list[pytest.Item]] = {}
    for item in items:
        groups.setdefault(_group_key(item), []).append(item)
    slow, fast = [], []
    for members in groups.values():
        seconds = sum(expected_seconds(item.nodeid) for item in members)
        (slow if seconds >= SLOW_SECONDS else fast).append((seconds, members))
    sizes = slice_sizes(len(items), workers)
    slices: list[list[pytest.Item]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for seconds, members in sorted(slow, key=lambda pair: -pair[0]):
        # The least loaded slice that still has room for the group.
        room = [k for k in range(workers) if len(slices[k]) + len(members) <= sizes[k]]
        k = min(room or range(workers), key=lambda index: loads[index])
        slices[k].extend(members)
        loads[k] += seconds
    rest = [item for _, members in fast for item in members]
    ordered: list[pytest.Item] = []
    for k in range(workers):
        take = max(0, sizes[k] - len(slices[k]))
        ordered += slices[k] + rest[:take]
        rest = rest[take:]
    return ordered + rest
