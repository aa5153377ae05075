"""Splitting id sets into statement-sized batches."""

from collections.abc import Iterable, Iterator
from itertools import islice


def sorted_batches(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    """The distinct ids in ascending order, `size` at a time (ordered, so concurrent writers lock alike)."""
    ordered = iter(sorted(set(ids)))
    while batch := list(islice(ordered, size)):
        yield batch
