"""Both cores: results in the items' order whatever runs the workers took, every item once."""

from generator.parallel import MIN_SHARE, ordered_map, shares


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
