"""Both cores: results in the items' order whatever runs the workers took, every item once; a
background process gives its result or its error, and none is left running or a zombie."""

import gc
import os
import time

import pytest

from generator.parallel import MIN_SHARE, Background, kept_from_collector, ordered_map, reap_ended, shares


def test_the_runs_cover_every_item_once_in_order_from_large_to_small():
    for count in (1, 7, 200, 2_000, 7_132):
        runs = list(shares(count, 2))
        assert [i for run in runs for i in run] == list(range(count))
        sizes = [len(run) for run in runs]
        assert sizes == sorted(sizes, reverse=True)
        assert max(sizes[-3:]) <= MIN_SHARE
    assert len(list(shares(2_000, 2))) < 2_000 // 16  # fewer runs than the 16-item chunks it replaced


def test_two_workers_give_what_one_gives_in_the_same_order():
    items = [f"item {i}" for i in range(1_000)]
    assert list(ordered_map(str.upper, items, workers=2)) == [item.upper() for item in items]
    assert list(ordered_map(len, items, workers=1)) == [len(item) for item in items]


def child_pid() -> int:
    return os.getpid()


def fails() -> None:
    raise ValueError("a bad input")


def dies() -> None:
    os._exit(3)


def sleeps() -> None:
    time.sleep(60)


def test_a_background_result_comes_from_another_process_and_its_errors_are_raised_here():
    assert Background(child_pid, workers=2)() != os.getpid()
    assert Background(child_pid, workers=1)() == os.getpid()  # one worker: run at once, here
    failing = Background(fails, workers=2)
    for _ in range(2):  # on every call
        with pytest.raises(ValueError, match="a bad input"):
            failing()
    with pytest.raises(RuntimeError, match=r"making dies ended without a result \(exit code 3\)"):
        Background(dies, workers=2)()


def test_a_cancelled_background_process_is_stopped_and_no_ended_one_is_left_a_zombie():
    started = time.monotonic()
    sleeping = Background(sleeps, workers=2)
    sleeping.cancel()
    assert time.monotonic() - started < 30
    with pytest.raises(ProcessLookupError):
        os.kill(sleeping.pid, 0)  # reaped: not even a zombie
    done = [Background(child_pid, workers=2) for _ in range(3)]
    pids = [b() for b in done]
    time.sleep(0.5)
    reap_ended()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def collecting() -> bool:
    return gc.isenabled()


def collecting_in(item: int) -> bool:
    return gc.isenabled()


def test_a_build_s_process_does_not_collect_while_the_processes_it_forks_do_and_it_does_again_after():
    assert gc.isenabled()
    threshold = gc.get_threshold()
    with kept_from_collector():
        assert not gc.isenabled()
        with kept_from_collector():  # a nested block leaves it so
            assert not gc.isenabled()
        assert not gc.isenabled()
        assert Background(collecting, workers=2)()  # the index's process
        assert all(ordered_map(collecting_in, range(400), workers=2))  # the workers making pages
    assert gc.isenabled() and gc.get_threshold() == threshold
    gc.disable()  # a caller that had it off gets it back off
    try:
        with kept_from_collector():
            assert not Background(collecting, workers=2)()
        assert not gc.isenabled()
    finally:
        gc.enable()
