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
    """

    def __init__(self) -> None:
        self._hashes = np.empty(0, dtype=np.int64)
        self._numbers = np.empty(0, dtype=np.int32)

    def __len__(self) -> int:
        return int(self._hashes.size)

    def first_rows(self, keys: Sequence[Hashable], numbers: Sequence[int]) -> list[int | None]:
        """For each key, the row number that gave it before (None: new); remembers the new."""
        hashes = np.fromiter((hash(key) for key in keys), dtype=np.int64, count=len(keys))
        firsts: list[int | None] = [None] * len(keys)
        if self._hashes.size:
            at = np.searchsorted(self._hashes, hashes)
            at[at == self._hashes.size] = 0
            for index in np.flatnonzero(self._hashes[at] == hashes):
                firsts[index] = int(self._numbers[at[index]])
        local: dict = {}
        new: list[int] = []
        for index, key in enumerate(keys):
            if firsts[index] is not None:
                continue
            first = local.get(key)
            if first is not None:
                firsts[index] = first
                continue
            local[key] = numbers[index]
            new.append(index)
        if new:
            added = hashes[new]
            order = np.argsort(added, kind="stable")
            added = added[order]
            added_numbers = np.asarray(numbers, dtype=np.int32)[new][order]
            places = np.searchsorted(self._hashes, added)
            self._hashes = np.insert(self._hashes, places, added)
            self._numbers = np.insert(self._numbers, places, added_numbers)
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
