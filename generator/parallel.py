"""Both cores for the heavy stages: reading answers and making pages (with results in input order),
and the search index, made in a process of its own while the pages are keyed and made.

Workers are forked, so they start with the parent's data (the registry, the renderer, the outputs)
and only the results travel back. Where fork is missing, or the work is small, it runs in-process.
A Background process is a bare fork with a pipe: multiprocessing, which a build after an edit does
not otherwise need, is imported only for a pool of workers (its import is 8 ms of such a build's start).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")

MIN_ITEMS = 200  # below this, starting workers costs more than it saves
# A build makes hundreds of thousands of objects that live to its end (pages to make, their contexts)
# and little cyclic garbage: a collection every 700 new objects (Python's default) finds next to
# nothing and takes a quarter of the time spent keying pages.
NEW_OBJECTS_PER_COLLECTION = 100_000

_job: tuple[Callable, Sequence] | None = None  # what forked workers run; set only around a pool's life


def worker_count() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def ordered_map(fn: Callable, items: Sequence, workers: int | None = None) -> Iterator:
    """fn(item) for every item, in order; on several cores when there are enough items."""
    global _job
    workers = worker_count() if workers is None else workers
    if workers <= 1 or len(items) < MIN_ITEMS or not hasattr(os, "fork"):
        yield from map(fn, items)
        return
    import multiprocessing

    _job = (fn, items)
    # The collector would visit every object the workers inherit, and so copy every page of them into
    # each worker; frozen, the inherited objects stay shared.
    try:
        with kept_from_collector(), multiprocessing.get_context("fork").Pool(workers, pool_worker) as pool:
            for results in pool.imap(_run, shares(len(items), workers)):
                yield from results
    finally:
        _job = None


def shares(count: int, workers: int) -> Iterator[range]:
    """The items' positions in runs handed to the workers one at a time: large first, then smaller
    ("guided" scheduling), so that few runs go back and forth and the workers end together. Each run
    costs the parent about a millisecond (measured: at 2,000 answers, runs of 16 items took it 0.4 s
    of CPU to read and as much to write, runs of 128 a fifth of that)."""
    start = 0
    while start < count:
        size = max(MIN_SHARE, (count - start) // (workers * SHARES_PER_WORKER))
        yield range(start, min(count, start + size))
        start += size


MIN_SHARE = 8  # the last runs: a few answers, or a few dozen pages
SHARES_PER_WORKER = 4  # a run is a quarter of one worker's share of what is left


_kept = 0  # kept_from_collector blocks open (gc.get_freeze_count would walk every frozen object: 17 ms at 10,000 answers)


@contextmanager
def kept_from_collector() -> Iterator[None]:
    """The objects made so far are left alone by the cyclic garbage collector until the block ends
    (gc.freeze): each full collection would visit them all, millions at 10,000 answers. Within the
    outermost block the collector does not run in this process at all: what a build makes here lives
    to its end, or is freed as it is dropped (at 10,000 answers an edit's three collections visited
    some 300,000 objects to find 40, in 51 ms; a full build's fifteen found 150). The processes it
    forks, which make the pages and the index, collect again, less often (collecting_in_child).
    Nested blocks leave all this to the outermost."""
    global _kept, _collecting
    outermost = _kept == 0
    _kept += 1
    gc.freeze()
    threshold = gc.get_threshold()
    if outermost:
        _collecting = gc.isenabled()
        gc.disable()
        gc.set_threshold(NEW_OBJECTS_PER_COLLECTION, *threshold[1:])
    try:
        yield
    finally:
        _kept -= 1
        if outermost:
            # the objects made since go to the oldest generation with the others, unvisited: at the
            # threshold restored, the next collection would visit them all, as the build ends
            gc.freeze()
            gc.unfreeze()
            gc.set_threshold(*threshold)
            if _collecting:
                gc.enable()


_collecting = False  # whether the collector ran before the outermost kept_from_collector block


def collecting_in_child() -> None:
    """In a process forked within a kept_from_collector block: the collector runs again, as it did
    before the block (every NEW_OBJECTS_PER_COLLECTION objects), for this process makes pages or the
    index, whose garbage may hold cycles."""
    if _kept and _collecting:
        gc.enable()


def pool_worker() -> None:
    """A worker of ordered_map's pool, as it starts. Ctrl-C is left to the parent, which stops the
    workers (Pool.terminate). A worker that took the KeyboardInterrupt itself could die halfway through
    sending a result, and the pool's reader would then wait for the rest forever, the build with it
    (seen through the warm process: 4 builds in 10 hung when Ctrl-C came while the inputs were read)."""
    collecting_in_child()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(positions: range) -> list:
    fn, items = _job
    return [fn(items[i]) for i in positions]


class Background(Generic[T]):
    """fn(*args) started in a forked process; calling this waits for the result and gives it (on every
    call). With one worker, or no fork, fn runs at once, here."""

    def __init__(self, fn: Callable[..., T], *args, workers: int | None = None):
        self.name = fn.__name__
        self.received: tuple[bool, T] | None = None
        self.pid = None
        workers = worker_count() if workers is None else workers
        if workers <= 1 or not hasattr(os, "fork"):
            try:
                self.received = (False, fn(*args))
            except Exception as e:  # raised when the result is asked for, as from a process
                self.received = (True, e)
            return
        reap_ended()
        self.receive, send = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            collecting_in_child()
            os.close(self.receive)
            _send_result(send, fn, args)
        os.close(send)
        _started.add(self.pid)

    def __call__(self) -> T:
        if self.received is None:
            with os.fdopen(self.receive, "rb") as pipe:
                data = pipe.read()
            try:
                self.received = pickle.loads(data)
            except Exception:  # nothing sent, or not all: the process ended before it could
                self.received = (True, RuntimeError(f"the process making {self.name} ended without a result "
                                                    f"(exit code {reap(self.pid)})"))
            # not waited for: a large process takes tens of milliseconds to end, and all it does once
            # it has sent its result is end (reaped when the next one starts, or now if it has ended)
            reap_ended()
        failed, value = self.received
        if failed:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the process if it is still at work (the build it was for failed)."""
        if self.pid is not None and self.received is None:
            os.close(self.receive)
            self.received = (True, RuntimeError(f"the process making {self.name} was stopped"))
            if self.pid in _started:  # else it ended and was reaped: its number may be another's now
                os.kill(self.pid, signal.SIGKILL)
                reap(self.pid)


_started: set[int] = set()  # Background processes not reaped yet


def reap(pid: int) -> int | str:
    """Wait for a Background process to end; its exit code, or "unknown" if it was reaped already
    (by reap_ended: its number may be another process's now)."""
    if pid not in _started:
        return "unknown"
    _started.discard(pid)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def reap_ended() -> None:
    """Reap the Background processes that have ended, so none is left a zombie (the preview server
    starts some at every save for as long as it runs)."""
    for pid in list(_started):
        try:
            done, _status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped by someone else
            done = pid
        if done:
            _started.discard(pid)


def _send_result(send: int, fn: Callable, args: tuple) -> None:
    """In the forked process: fn's outcome, pickled down the pipe, then the process ends at once (no
    exit handlers, no flushing of what the parent had buffered)."""
    code = 1
    try:
        try:
            outcome = (False, fn(*args))
        except Exception as e:  # raised again in the parent, which reports it as any build error
            outcome = (True, e)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # an outcome that cannot be pickled: said as text
            data = pickle.dumps((True, RuntimeError(f"{fn.__name__} gave {outcome[1]!r}, which cannot be sent back: {e}")))
        with os.fdopen(send, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)
