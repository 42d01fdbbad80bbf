"""Both cores for the two heavy stages (reading answers, making pages), with results in input order.

Workers are forked, so they start with the parent's data (the registry, the renderer, the outputs)
and only the results travel back. Where fork is missing, or the work is small, it runs in-process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence

MIN_ITEMS = 200  # below this, starting workers costs more than it saves

_job: tuple[Callable, Sequence] | None = None  # what forked workers run; set only around a pool's life


def worker_count() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def ordered_map(fn: Callable, items: Sequence, workers: int | None = None) -> Iterator:
    """fn(item) for every item, in order; on several cores when there are enough items."""
    global _job
    workers = worker_count() if workers is None else workers
    if workers <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(fn, items)
        return
    _job = (fn, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_run, range(len(items)), chunksize=16)
    finally:
        _job = None


def _run(i: int):
    fn, items = _job
    return fn(items[i])
