"""Figures kept between requests in this process, keyed by everything they are computed from.

A dashboard or an overview row is a function of a cycle's data, the catalog and today's date.
Every write that changes a cycle's data raises `cycle.revision` in the same transaction
(lms/campaigns/revisions.py), so a key of (cycle id, revision, date) names one immutable
result; a catalog reload starts an empty memo. Nothing is ever stale, only recomputed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app


class Memo:
    """A least-recently-used map for one catalog, bounded by the approximate bytes its values
    hold (each caller says what a value weighs), so big dashboards cannot crowd a worker."""

    def __init__(self, catalog, budget: int) -> None:
        self.catalog = catalog
        self.budget = budget
        self.weight = 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any], weigh: Callable[[Any], int],
            fresh: Callable[[Any], bool] | None = None) -> Any:
        """The value kept for key, else make() kept; `fresh` may refuse a kept value (one
        that depends on the time)."""
        value = self.peek(key, fresh)
        if value is None:
            value = make()
            self._keep({key: value}, weigh)
        return value

    def peek(self, key: Hashable, fresh: Callable[[Any], bool] | None = None) -> Any:
        """The value kept for key, or None."""
        with self._lock:
            kept = self._items.get(key)
            if kept is not None and (fresh is None or fresh(kept[0])):
                self._items.move_to_end(key)
                return kept[0]
        return None

    def keep(self, key: Hashable, value: Any, weight: int) -> None:
        self._keep({key: value}, lambda _: weight)

    def get_many(self, keys: list[Hashable], make: Callable[[list[Hashable]], dict],
                 weigh: Callable[[Any], int]) -> dict:
        """The values of these keys, computing the missing ones together in one call."""
        with self._lock:
            found = {key: self._items[key][0] for key in keys if key in self._items}
            for key in found:
                self._items.move_to_end(key)
        missing = [key for key in keys if key not in found]
        if missing:
            made = make(missing)
            self._keep(made, weigh)
            found.update(made)
        return found

    def _keep(self, values: dict, weigh: Callable[[Any], int]) -> None:
        with self._lock:
            for key, value in values.items():
                weight = weigh(value)
                if weight > self.budget:
                    continue
                if key in self._items:
                    self.weight -= self._items.pop(key)[1]
                self._items[key] = (value, weight)
                self.weight += weight
            while self.weight > self.budget:
                self.weight -= self._items.popitem(last=False)[1][1]


def memo_for(catalog, name: str = "lms.memo", megabytes: int | None = None) -> Memo:
    """This app's memo `name` for this catalog (a new, empty one once the catalog has
    changed), bounded by `megabytes` (FIGURES_MEMO_MB by default)."""
    memo = current_app.extensions.get(name)
    if memo is None or memo.catalog is not catalog:
        budget = megabytes if megabytes is not None else current_app.config["FIGURES_MEMO_MB"]
        memo = Memo(catalog, budget * 2**20)
        current_app.extensions[name] = memo
    return memo
