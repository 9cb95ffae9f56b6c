"""The per-process memo of dashboard figures (lms/reports/memo.py): least recently used first
out, bounded by the weight its values declare."""

from __future__ import annotations

from lms.reports.memo import Memo


def test_values_are_made_once_and_the_least_recently_used_go_first():
    memo, made = Memo(catalog=None, budget=30), []

    def make(key):
        return lambda: made.append(key) or key.upper()

    assert memo.get("a", make("a"), weigh=lambda v: 10) == "A"
    assert memo.get("a", make("a"), weigh=lambda v: 10) == "A"
    memo.get("b", make("b"), weigh=lambda v: 10)
    memo.get("c", make("c"), weigh=lambda v: 10)
    memo.get("a", make("a"), weigh=lambda v: 10)  # a is now the most recently used
    memo.get("d", make("d"), weigh=lambda v: 10)  # over budget: b goes
    assert made == ["a", "b", "c", "d"] and memo.weight == 30
    memo.get("b", make("b"), weigh=lambda v: 10)
    assert made[-1] == "b"
    memo.get("a", make("a"), weigh=lambda v: 10)
    assert made.count("a") == 1


def test_a_value_heavier_than_the_budget_is_served_but_not_kept():
    memo = Memo(catalog=None, budget=30)
    memo.get("small", lambda: 1, weigh=lambda v: 10)
    assert memo.get("huge", lambda: 2, weigh=lambda v: 31) == 2
    assert memo.weight == 10 and list(memo._items) == ["small"]


def test_a_value_that_is_no_longer_fresh_is_made_again():
    memo, clock = Memo(catalog=None, budget=100), [0]
    value = memo.get("k", lambda: clock[0] + 5, weigh=lambda v: 1,
                     fresh=lambda until: clock[0] < until)
    assert value == 5
    clock[0] = 6
    assert memo.get("k", lambda: clock[0] + 5, weigh=lambda v: 1,
                    fresh=lambda until: clock[0] < until) == 11
    assert memo.weight == 1


def test_get_many_makes_only_the_missing_values_in_one_call():
    memo, calls = Memo(catalog=None, budget=100), []

    def make(keys):
        calls.append(list(keys))
        return {key: key * 2 for key in keys}

    assert memo.get_many([1, 2], make, weigh=lambda v: 1) == {1: 2, 2: 4}
    assert memo.get_many([2, 3], make, weigh=lambda v: 1) == {2: 4, 3: 6}
    assert calls == [[1, 2], [3]]
