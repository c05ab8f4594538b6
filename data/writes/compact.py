"""What a batch remembers of its rows, in memory that barely grows with the file.

A file of a million rows must not hold a million Python objects: the keys it has met (to
find a row repeated within the file) are kept as 64-bit hashes in one sorted array, with
the row number of each key's first row; the ids it inserted as runs of consecutive ids
(one run on SQLite, which gives a batch's ids under its write lock; a few on PostgreSQL,
where concurrent writers take ids from the same sequence) with the row number of each
id in an array. About 12 bytes per row instead of a few hundred.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterator, Sequence

import numpy as np


class SeenKeys:
    """Keys met so far in a batch and the row number that gave each first.

    Keys of earlier chunks are compared by their hash (two different keys of one file share
    a 64-bit hash with a chance of about one in 10^7 for a million rows: such a row would be
    refused as repeated, never let through twice); keys within a chunk are compared exactly.
    The hashes are kept in a few sorted runs, merged two of a size like a binary counter, so
    that remembering a chunk costs about its own size, not the size of all met before.
    """

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted hashes, row numbers)

    def __len__(self) -> int:
        return sum(int(hashes.size) for hashes, _ in self._runs)

    def first_rows(self, keys: Sequence[Hashable], numbers: Sequence[int]) -> list[int | None]:
        """For each key, the row number that gave it before (None: new); remembers the new."""
        count = len(keys)
        hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=count)
        firsts: list[int | None] = [None] * count
        known = np.zeros(count, dtype=bool)
        # Searched in sorted order, each search starts where the last ended (cache-friendly).
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        for run_hashes, run_numbers in self._runs:
            at = np.searchsorted(run_hashes, ordered)
            at[at == run_hashes.size] = 0
            for place in np.flatnonzero(run_hashes[at] == ordered).tolist():
                index = int(order[place])
                if not known[index]:
                    firsts[index] = int(run_numbers[at[place]])
                    known[index] = True
        # Within the chunk only keys whose hash another of its keys shares can be repeated:
        # those are compared exactly, in row order.
        tied = np.flatnonzero(ordered[1:] == ordered[:-1])
        if tied.size:
            local: dict = {}
            for index in np.unique(np.concatenate((order[tied], order[tied + 1]))).tolist():
                if known[index]:
                    continue
                first = local.get(keys[index])
                if first is None:
                    local[keys[index]] = numbers[index]
                else:
                    firsts[index] = first
                    known[index] = True
        new = np.flatnonzero(~known)
        if new.size:
            added = hashes[new]
            order = np.argsort(added, kind="stable")
            numbers_added = np.asarray(numbers, dtype=np.int32)[new][order]
            self._runs.append((added[order], numbers_added))
            while len(self._runs) > 1 and self._runs[-2][0].size <= self._runs[-1][0].size:
                (low, low_numbers), (high, high_numbers) = self._runs[-2:]
                merged = np.concatenate((low, high))
                order = np.argsort(merged, kind="stable")
                merged_numbers = np.concatenate((low_numbers, high_numbers))[order]
                self._runs[-2:] = [(merged[order], merged_numbers)]
        return firsts


class WrittenRows:
    """The ids a batch inserted (runs of consecutive ids) and replaced, each with its row
    number in the file."""

    def __init__(self) -> None:
        self.runs: list[list[int]] = []  # [first id, last id], in the order written
        self.inserted = 0
        self._inserted_numbers = array("i")
        self.updated = array("q")
        self._updated_numbers = array("i")

    def add_inserted(self, ids: Sequence[int], numbers: Sequence[int]) -> None:
        runs = self.runs
        for new_id in ids:
            if runs and runs[-1][1] + 1 == new_id:
                runs[-1][1] = new_id
            else:
                runs.append([new_id, new_id])
        self.inserted += len(ids)
        self._inserted_numbers.extend(numbers)

    def add_updated(self, ids: Sequence[int], numbers: Sequence[int]) -> None:
        self.updated.extend(ids)
        self._updated_numbers.extend(numbers)

    def inserted_ids(self) -> Iterator[int]:
        for first, last in self.runs:
            yield from range(first, last + 1)

    @property
    def bounds(self) -> tuple[int, int] | None:
        """The lowest and highest id written (inserted or replaced)."""
        ends = [end for run in self.runs for end in run]
        if self.updated:
            ends += [min(self.updated), max(self.updated)]
        return (min(ends), max(ends)) if ends else None

    def number_of(self, record_id: int) -> int | None:
        """The row number of the file that wrote `record_id`."""
        offset = 0
        for first, last in self.runs:
            if first <= record_id <= last:
                return self._inserted_numbers[offset + record_id - first]
            offset += last - first + 1
        if self.updated:
            found = np.flatnonzero(np.frombuffer(self.updated, dtype=np.int64) == record_id)
            if found.size:
                return self._updated_numbers[int(found[0])]
        return None
